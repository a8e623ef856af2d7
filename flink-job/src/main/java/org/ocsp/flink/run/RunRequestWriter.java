package org.ocsp.flink.run;

import org.ocsp.flink.topics.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ocsp.flink.topics.Topics;

/**
 * Writes one run request (a RunStarted, a RunStopRequested) to the run-requests topic under the
 * run's id, acknowledged by all replicas. The job copies it into the run log; an operator's
 * client never writes the events topic itself (its ACLs do not let it).
 */
public final class RunRequestWriter {
    private RunRequestWriter() {
    }

    public static void send(KafkaConnection kafka, Topics topics, String runId, byte[] value, String what) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topics.runRequests().name(), runId.getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot write " + what + ": " + e.getCause(), e.getCause());
        }
    }
}
