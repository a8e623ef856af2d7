package org.ocsp.flink.audit;

import org.ocsp.flink.topics.KafkaConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ocsp.flink.chain.EventSignature;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.ocsp.flink.topics.ReadCommittedConsumer;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;

/**
 * Reads one run's events from the events topic with a {@code read_committed} consumer (events
 * of aborted transactions are never seen), from the beginning to the last stable offset at the
 * time of the call. No consumer group is used and no offsets are committed.
 *
 * <pre>{@code
 * EventSource source = KafkaEventSource.builder().setBootstrapServers("localhost:9092")
 *     .setTopic("ocsp.events").optTimeout(Duration.ofSeconds(60)).build();
 * RunLog log = source.load("run-50");
 * }</pre>
 *
 * <p>A run's events are the records whose header names it, whatever their Kafka key: an event
 * written under another key than its run id is loaded with that key, so that verify reports it
 * (the trainer dead-letters it). Each event keeps the job's signature from the record headers.
 * Records that are not readable events (they belong on the dead-letter topic) are skipped and
 * counted in {@link #skippedUnreadable()}.
 */
public final class KafkaEventSource implements EventSource {
    private final KafkaConnection kafka;
    private final String topic;
    private final Duration timeout;
    private final EventCodec codec = EventCodec.create();
    private long skippedUnreadable;

    private KafkaEventSource(Builder b) {
        this.kafka = new KafkaConnection(b.bootstrapServers, b.clientSettings);
        this.topic = b.topic;
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RunLog load(String runId) throws IOException {
        RunLog log = loadAll(runId).get(runId);
        if (log == null) {
            throw new NoSuchRunException(runId, "no events on topic " + topic);
        }
        return log;
    }

    /** Every run on the topic, by run id, in the order the runs first appear. */
    public Map<String, RunLog> loadAll() throws IOException {
        return loadAll(null);
    }

    /** @param only the one run to keep, or null for all */
    private Map<String, RunLog> loadAll(String only) throws IOException {
        Map<String, List<LoggedEvent>> byRun = new java.util.LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IOException("Topic '" + topic + "' does not exist on " + kafka);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout); // last stable offsets (read_committed)
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Timed out after " + timeout + " reading " + topic + " up to " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    // By header, not by key: an event written under another key is reported, not hidden.
                    decode(r).filter(e -> only == null || e.runId().equals(only))
                            .ifPresent(e -> byRun.computeIfAbsent(e.runId(), k -> new ArrayList<>()).add(e));
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("Cannot read topic '" + topic + "' from " + kafka + ": " + e.getMessage(), e);
        }
        Map<String, RunLog> logs = new java.util.LinkedHashMap<>();
        byRun.forEach((id, events) -> logs.put(id, RunLog.of(id, events)));
        return logs;
    }

    private Optional<LoggedEvent> decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            SpecificRecord record = codec.decode(r.value());
            if (!RecordType.of(record).isEvent()) {
                skippedUnreadable++;
                return Optional.empty();
            }
            return Optional.of(LoggedEvent.of(record, r.value(),
                    Optional.of(new LoggedEvent.LogPosition(r.topic(), r.partition(), r.offset())),
                    EventSignature.from(r.headers()),
                    Optional.ofNullable(r.key()).map(k -> new String(k, StandardCharsets.UTF_8))));
        } catch (UnreadableRecordException e) {
            skippedUnreadable++;
            return Optional.empty();
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Properties properties() {
        Properties p = ReadCommittedConsumer.properties(kafka);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ocsp-audit");
        return p;
    }

    /** Records skipped by the last {@link #load} calls because they were not readable events. */
    public long skippedUnreadable() {
        return skippedUnreadable;
    }

    /** Settings: {@code set*} are required, {@code opt*} optional. */
    public static final class Builder {
        private String bootstrapServers;
        private java.util.Map<String, String> clientSettings = java.util.Map.of();
        private String topic;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        public Builder setBootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** The servers and the client settings of a Kafka client config file (security, ...). */
        public Builder setKafka(KafkaConnection kafka) {
            this.bootstrapServers = kafka.bootstrapServers();
            this.clientSettings = kafka.clientSettings();
            return this;
        }

        public Builder setTopic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder optTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @throws IllegalArgumentException naming every missing or invalid setting */
        public KafkaEventSource build() {
            List<String> errors = new ArrayList<>();
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                errors.add("Missing configuration bootstrapServers: set it with setBootstrapServers(\"host:9092\")");
            }
            if (topic == null || topic.isBlank()) {
                errors.add("Missing configuration topic: set the events topic with setTopic(\"ocsp.events\")");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                errors.add("Invalid value " + timeout + " for configuration timeout: must be > 0");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", errors));
            }
            Objects.requireNonNull(bootstrapServers);
            return new KafkaEventSource(this);
        }
    }
}
