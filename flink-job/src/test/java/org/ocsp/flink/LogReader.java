package org.ocsp.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;

/** Reads a topic from the beginning as a read_committed consumer and decodes every record; waits on conditions. */
public final class LogReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventCodec codec = EventCodec.create();
    private final List<SpecificRecord> records = new ArrayList<>();

    public LogReader(String bootstrapServers, String topic) {
        this(org.ocsp.flink.topics.KafkaConnection.of(bootstrapServers), topic);
    }

    public LogReader(org.ocsp.flink.topics.KafkaConnection kafka, String topic) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Reads what is there now (one poll) and returns everything read so far. */
    public List<SpecificRecord> poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            try {
                records.add(codec.decode(r.value()));
            } catch (UnreadableRecordException e) {
                throw new AssertionError("Unreadable record at offset " + r.offset() + " of " + r.topic() + ": " + e, e);
            }
        }
        return List.copyOf(records);
    }

    /** Polls until the condition holds on the records read so far; fails after the timeout. */
    public List<SpecificRecord> await(Predicate<List<SpecificRecord>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SpecificRecord> now = poll();
            if (condition.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "; read " + now.size()
                        + " records: " + now.stream().map(r -> r.getSchema().getName()).collect(Collectors.toList()));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
