package org.ocsp.flink.job.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.TestKafka;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.Split;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.flink.job.BatchAddress;
import org.ocsp.flink.job.RunBatch;

/** Waiting batches read again from a real broker by address: the same batches, gone ones missing, no hang. */
class KafkaBatchReaderITCase {
    @Test
    void readsBatchesAgainByAddressAndReportsAddressesThatAreNotInTheLog() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        Topics topics = Topics.withPrefix("reader-it-" + System.nanoTime() + ".");
        TopicAdmin.createAll(KafkaConnection.of(bootstrap), topics);
        String topic = topics.batches().name();
        EventCodec codec = EventCodec.create();
        List<BatchAddress> written = new ArrayList<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < 5; i++) {
                written.add(address(producer.send(new ProducerRecord<>(topic, codec.encode(batch(i)))).get(), 3));
            }
            EpochEnd end = EpochEnd.newBuilder().setDatasetName("d").setSeed(1).setEpoch(3).setTrainBatches(5)
                    .setEvalBatches(0).build();
            written.add(address(producer.send(new ProducerRecord<>(topic, codec.encode(end))).get(), 3));
        }
        BatchAddress beyondTheEnd = new BatchAddress();
        beyondTheEnd.topic = topic;
        beyondTheEnd.offset = written.get(written.size() - 1).offset + 100;
        List<BatchAddress> wanted = List.of(written.get(3), written.get(1), written.get(5), beyondTheEnd);

        Map<BatchAddress, RunBatch> read;
        try (KafkaBatchReader reader = new KafkaBatchReader(KafkaConnection.of(bootstrap))) {
            read = reader.read(wanted);
            assertEquals(read.keySet(), reader.read(wanted).keySet(), "a second read with the same consumer");
        }

        assertEquals(3, read.size(), "read: " + read.keySet());
        for (int i : new int[] {1, 3}) {
            RunBatch b = read.get(written.get(i));
            assertEquals(i, b.index);
            assertEquals(3, b.epoch);
            assertEquals(written.get(i).offset, b.offset);
            assertArrayEquals(features(i), b.features);
            assertArrayEquals(new int[] {i % 10, (i + 1) % 10}, b.labels);
        }
        RunBatch end = read.get(written.get(5));
        assertTrue(end.epochEnd);
        assertEquals(5, end.trainBatches);
    }

    @Test
    void aRecordThatIsNotTheStoredBatchIsNotReturned() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        Topics topics = Topics.withPrefix("reader-check-" + System.nanoTime() + ".");
        TopicAdmin.createAll(KafkaConnection.of(bootstrap), topics);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        BatchAddress stored;
        BatchAddress otherIndex;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            stored = address(producer.send(new ProducerRecord<>(topics.batches().name(),
                    EventCodec.create().encode(batch(2)))).get(), 3);
            stored.index = 2;
            stored.eval = false;
            otherIndex = address(producer.send(new ProducerRecord<>(topics.batches().name(),
                    EventCodec.create().encode(batch(4)))).get(), 3);
            otherIndex.index = 1; // stored as batch 1, but the topic holds batch 4 there now
            otherIndex.eval = false;
        }
        BatchAddress otherEpoch = address(new RecordMetadata(new org.apache.kafka.common.TopicPartition(stored.topic, 0),
                stored.offset, 0, 0, 0, 0), 7);
        try (KafkaBatchReader reader = new KafkaBatchReader(KafkaConnection.of(bootstrap))) {
            Map<BatchAddress, RunBatch> read = reader.read(List.of(stored, otherIndex));
            assertEquals(java.util.Set.of(stored), read.keySet());
            assertEquals(Map.of(), reader.read(List.of(otherEpoch)), "the record at that offset is of epoch 3, not 7");
        }
    }

    @Test
    void anUnreachableBrokerIsAClearJobFailureNotALostBatch() {
        BatchAddress a = new BatchAddress();
        a.topic = "ocsp.batches";
        a.offset = 5;
        try (KafkaBatchReader reader = new KafkaBatchReader(KafkaConnection.of("127.0.0.1:" + Loopbacks.closedPort()), java.time.Duration.ofSeconds(2))) {
            BatchTopicUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                    BatchTopicUnavailableException.class, () -> reader.read(List.of(a)));
            assertTrue(e.getMessage().startsWith("Cannot read 1 waiting batches again from [ocsp.batches-0] within 2 s"),
                    e.getMessage());
        }
    }

    private static BatchAddress address(RecordMetadata m, int epoch) {
        BatchAddress a = new BatchAddress();
        a.topic = m.topic();
        a.partition = m.partition();
        a.offset = m.offset();
        a.epoch = epoch;
        return a;
    }

    private static TrainingBatch batch(int index) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * 4 * 4 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(features(index));
        return TrainingBatch.newBuilder().setDatasetName("d").setSeed(1).setEpoch(3).setSplit(Split.TRAIN).setIndex(index)
                .setBatchCount(5).setShape(List.of(2, 1, 4, 4)).setFeatures(bytes)
                .setLabels(List.of(index % 10, (index + 1) % 10)).build();
    }

    private static float[] features(int index) {
        float[] f = new float[2 * 4 * 4];
        for (int k = 0; k < f.length; k++) {
            f[k] = index * 100 + k * 0.5f;
        }
        return f;
    }
}
