package org.ocsp.flink.topics;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer settings every reader of our topics outside the Flink source shares: raw bytes,
 * read_committed (the event log is transactional, stack.md trap 2), nothing committed. Callers add
 * their own client id and fetch settings.
 *
 * <pre>{@code
 * Properties p = ReadCommittedConsumer.properties("kafka:9092");
 * p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ocsp-audit");
 * KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
 * }</pre>
 */
public final class ReadCommittedConsumer {
    private ReadCommittedConsumer() {
    }

    public static Properties properties(KafkaConnection kafka) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
