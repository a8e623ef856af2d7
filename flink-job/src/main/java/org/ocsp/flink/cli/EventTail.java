package org.ocsp.flink.cli;

import org.ocsp.flink.topics.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.ocsp.flink.topics.ReadCommittedConsumer;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;

/** Follows a topic from its beginning as a read_committed reader, decoding every record. */
public final class EventTail implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventCodec codec = EventCodec.create();

    public EventTail(KafkaConnection kafka, String topic) {
        consumer = new KafkaConsumer<>(ReadCommittedConsumer.properties(kafka));
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** The records that arrived within the timeout (possibly none); unreadable ones are skipped. */
    public List<SpecificRecord> poll(Duration timeout) {
        List<SpecificRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            try {
                out.add(codec.decode(r.value()));
            } catch (UnreadableRecordException e) {
                // not ours to judge here: the job dead-letters what it cannot read
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
