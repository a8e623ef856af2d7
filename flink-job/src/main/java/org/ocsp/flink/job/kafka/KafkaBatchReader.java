package org.ocsp.flink.job.kafka;

import org.ocsp.flink.topics.KafkaConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.ocsp.flink.topics.ReadCommittedConsumer;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.flink.job.BatchAddress;
import org.ocsp.flink.job.BatchDecoder;
import org.ocsp.flink.job.RawRecord;
import org.ocsp.flink.job.RunBatch;
import org.ocsp.flink.job.deadletter.BadInputException;

/**
 * Reads batches again from the batches topic by partition and offset (assigned partitions, no
 * consumer group, nothing committed), read_committed like the job's source. The consumer is
 * created on first use: in steady state the waiting batches are in memory and this never runs.
 */
public final class KafkaBatchReader implements BatchReader {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaBatchReader.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * The most one read may take: it runs on the task thread, where it holds up checkpoints. A
     * broker that cannot deliver batches that are in its log within it is an infrastructure
     * fault: the read fails the job, which restarts from its last checkpoint (RestartPolicy).
     */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Duration timeout;

    private final KafkaConnection kafka;
    private transient KafkaConsumer<byte[], byte[]> consumer;
    private transient EventCodec codec;

    public KafkaBatchReader(KafkaConnection kafka) {
        this(kafka, TIMEOUT);
    }

    KafkaBatchReader(KafkaConnection kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    @Override
    public Map<BatchAddress, RunBatch> read(List<BatchAddress> addresses) {
        Map<TopicPartition, TreeMap<Long, BatchAddress>> wanted = new HashMap<>();
        for (BatchAddress a : addresses) {
            wanted.computeIfAbsent(new TopicPartition(a.topic, a.partition), tp -> new TreeMap<>()).put(a.offset, a);
        }
        KafkaConsumer<byte[], byte[]> c = consumer();
        c.assign(wanted.keySet());
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> first;
        Map<TopicPartition, Long> end;
        try {
            first = c.beginningOffsets(wanted.keySet(), timeout);
            end = c.endOffsets(wanted.keySet(), timeout);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unavailable(addresses.size(), wanted.keySet(), e);
        }
        for (Map.Entry<TopicPartition, TreeMap<Long, BatchAddress>> e : wanted.entrySet()) {
            TreeMap<Long, BatchAddress> offsets = e.getValue();
            int before = offsets.size();
            offsets.headMap(first.get(e.getKey())).clear();
            offsets.tailMap(end.get(e.getKey())).clear();
            if (offsets.size() < before) {
                LOG.warn("{} of {} waiting batches in {} are no longer in Kafka (log starts at {}, ends at {})",
                        before - offsets.size(), before, e.getKey(), first.get(e.getKey()), end.get(e.getKey()));
            }
            if (!offsets.isEmpty()) {
                c.seek(e.getKey(), offsets.firstKey());
            }
        }
        wanted.values().removeIf(TreeMap::isEmpty);
        Map<BatchAddress, RunBatch> out = new HashMap<>();
        while (!wanted.isEmpty()) {
            if (System.nanoTime() > deadline) {
                c.assign(List.of());
                throw unavailable(wanted.values().stream().mapToInt(TreeMap::size).sum(), wanted.keySet(), null);
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                TreeMap<Long, BatchAddress> offsets = wanted.get(new TopicPartition(r.topic(), r.partition()));
                BatchAddress a = offsets == null ? null : offsets.remove(r.offset());
                if (a != null) {
                    decode(r, a).ifPresent(b -> out.put(a, b));
                }
            }
            // Offsets without a record (transaction markers, aborted records) end a partition too.
            wanted.entrySet().removeIf(e -> e.getValue().isEmpty() || c.position(e.getKey()) > e.getValue().lastKey());
        }
        c.assign(List.of());
        return out;
    }

    private BatchTopicUnavailableException unavailable(int batches, java.util.Set<TopicPartition> partitions,
                                                             Exception cause) {
        return new BatchTopicUnavailableException("Cannot read " + batches + " waiting batches again from " + partitions
                + " within " + timeout.toSeconds() + " s (is the broker down?): they are in the log, so the job fails "
                + "and restarts from its last checkpoint instead of training without them", cause);
    }

    private Optional<RunBatch> decode(ConsumerRecord<byte[], byte[]> r, BatchAddress a) {
        try {
            RunBatch b = BatchDecoder.decode(new RawRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()), codec);
            Optional<String> mismatch = a.mismatch(b);
            if (mismatch.isPresent()) {
                LOG.warn("Waiting batch {} read again from Kafka is not the stored one: {}", a, mismatch.get());
                return Optional.empty();
            }
            return Optional.of(b);
        } catch (UnreadableRecordException | BadInputException e) {
            LOG.warn("Waiting batch {} read again from Kafka cannot be decoded: {}", a, e.getMessage());
            return Optional.empty();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Properties p = ReadCommittedConsumer.properties(kafka);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ocsp-trainer-batch-reader");
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.MAX_MESSAGE_BYTES));
            p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(Topics.MAX_MESSAGE_BYTES));
            consumer = new KafkaConsumer<>(p);
            codec = EventCodec.create();
        }
        return consumer;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
