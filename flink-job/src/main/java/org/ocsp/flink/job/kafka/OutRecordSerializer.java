package org.ocsp.flink.job.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ocsp.flink.chain.EventSignature;
import org.ocsp.flink.job.OutRecord;

/**
 * Each {@link OutRecord} names its own topic, so events and dead letters share one transactional
 * sink; a signed event's signature goes into the record's headers.
 */
public final class OutRecordSerializer implements KafkaRecordSerializationSchema<OutRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(OutRecord r, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(r.topic, r.key, r.value);
        if (r.signature != null) {
            new EventSignature(r.signingKeyId, r.signature).addTo(record.headers());
        }
        return record;
    }
}
