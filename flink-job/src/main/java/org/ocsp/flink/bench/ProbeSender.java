package org.ocsp.flink.bench;

import org.ocsp.flink.topics.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes one keyed record and waits for the broker's acknowledgement. */
final class ProbeSender {
    private ProbeSender() {
    }

    static void send(KafkaConnection kafka, String topic, String key, byte[] value) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot write to " + topic + ": " + e.getCause(), e.getCause());
        }
    }
}
