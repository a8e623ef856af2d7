package org.ocsp.flink.job.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.util.OutputTag;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.flink.job.OutRecord;
import org.ocsp.flink.job.RawRecord;

/**
 * Builds dead-letter records (topic, partition, offset, stage, error class, reason, payload,
 * run, config hash) for the transactional sink. A bad record never throws: it goes here.
 *
 * <pre>{@code
 * ctx.output(DeadLetters.TAG, deadLetters.of(raw, "decode-batch", e, null, null));
 * }</pre>
 */
public final class DeadLetters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Side output every operator sends its dead letters to. */
    public static final OutputTag<OutRecord> TAG = new OutputTag<>("dead-letters") { };

    private final String topic;

    public DeadLetters(String deadLetterTopic) {
        this.topic = deadLetterTopic;
    }

    public OutRecord of(String sourceTopic, int partition, long offset, byte[] key, byte[] payload, String stage,
                        String errorClass, String reason, String runId, String configHash, EventCodec codec) {
        DeadLetter d = DeadLetter.newBuilder().setSourceTopic(sourceTopic == null ? "" : sourceTopic)
                .setPartition(partition).setOffset(offset).setStage(stage).setErrorClass(errorClass).setReason(reason)
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .setKey(key == null ? null : ByteBuffer.wrap(key)).setRunId(runId).setConfigHash(configHash)
                .setTime(Instant.ofEpochMilli(System.currentTimeMillis())).build();
        byte[] k = runId == null ? key : runId.getBytes(StandardCharsets.UTF_8);
        return new OutRecord(topic, k, codec.encode(d));
    }

    public OutRecord of(RawRecord raw, String stage, Throwable error, EventCodec codec) {
        return of(raw.topic, raw.partition, raw.offset, raw.key, raw.value, stage, error.getClass().getName(),
                String.valueOf(error.getMessage()), null, null, codec);
    }
}
