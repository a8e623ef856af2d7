package org.ocsp.flink.job.kafka;

import org.ocsp.flink.chain.EventSignature;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ocsp.flink.job.RawRecord;

/** Keeps Kafka records raw (with topic, partition, offset): decoding happens in an operator that can dead-letter. */
public final class RawDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RawRecord> out) {
        RawRecord raw = new RawRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        EventSignature.from(r.headers()).ifPresent(s -> {
            raw.signature = s.signature();
            raw.signingKeyId = s.keyId();
        });
        out.collect(raw);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
