package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.chain.EventSignature;
import org.ocsp.flink.TestKafka;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.flink.topics.Topics;

/** Reading a run from a real broker: committed events only, in offset order, other runs' events skipped. */
class KafkaEventSourceITCase {
    @Test
    void readsOnlyCommittedEventsOfTheRunInOrder() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        Topics topics = Topics.withPrefix("audit-it.");
        TopicAdmin.createAll(KafkaConnection.of(bootstrap), topics);
        String topic = topics.events().name();
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = log.inLogOrder();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "audit-it");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        byte[] key = log.runId().getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            int half = events.size() / 2;
            producer.beginTransaction();
            for (LoggedEvent e : events.subList(0, half)) {
                producer.send(signed(new ProducerRecord<>(topic, key, e.bytes()), e));
            }
            // RunStarted of the run again, under another key: read by its header, and reported.
            producer.send(new ProducerRecord<>(topic, "other-run".getBytes(StandardCharsets.UTF_8), events.get(0).bytes()));
            producer.commitTransaction();
            producer.beginTransaction(); // aborted: a reader must never see these
            producer.send(new ProducerRecord<>(topic, key, events.get(1).bytes()));
            producer.send(new ProducerRecord<>(topic, key, events.get(2).bytes()));
            producer.abortTransaction();
            producer.beginTransaction();
            for (LoggedEvent e : events.subList(half, events.size())) {
                producer.send(signed(new ProducerRecord<>(topic, key, e.bytes()), e));
            }
            producer.commitTransaction();
        }
        KafkaEventSource source = KafkaEventSource.builder().setBootstrapServers(bootstrap).setTopic(topic)
                .optTimeout(Duration.ofSeconds(60)).build();
        RunLog read = source.load(log.runId());
        List<LoggedEvent> runKeyed = read.inLogOrder().stream().filter(e -> e.key().orElseThrow().equals(log.runId())).toList();
        assertEquals(events.size(), runKeyed.size());
        for (int i = 0; i < events.size(); i++) {
            assertArrayEquals(events.get(i).bytes(), runKeyed.get(i).bytes(), "event " + i);
            assertEquals(topic, runKeyed.get(i).position().orElseThrow().topic());
            assertEquals(events.get(i).signature().map(EventSignature::keyId), runKeyed.get(i).signature().map(EventSignature::keyId));
        }
        assertTrue(new DecisionVerifier(List.of(AuditFixture.publicKey())).verify(RunLog.of(log.runId(), runKeyed)).ok(),
                "the signatures came through the record headers");
        VerificationResult all = new DecisionVerifier(List.of(AuditFixture.publicKey())).verify(read);
        assertEquals(events.size() + 1, all.eventsRead());
        assertEquals(1, all.mismatchesOf("key").size(), all.describe());
        assertThrows(NoSuchRunException.class, () -> source.load("never-started"));
        java.util.Map<String, RunLog> runs = source.loadAll();
        assertEquals(java.util.Set.of(log.runId()), runs.keySet(), "every run on the topic, by header");
        assertEquals(RunStatus.State.FINISHED, RunStatus.of(runs.get(log.runId())).state());
    }

    private static ProducerRecord<byte[], byte[]> signed(ProducerRecord<byte[], byte[]> r, LoggedEvent e) {
        e.signature().ifPresent(s -> s.addTo(r.headers()));
        return r;
    }

    @Test
    void builderNamesEveryMissingSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaEventSource.builder().build());
        assertEquals("Missing configuration bootstrapServers: set it with setBootstrapServers(\"host:9092\"); "
                + "Missing configuration topic: set the events topic with setTopic(\"ocsp.events\")", e.getMessage());
    }
}
