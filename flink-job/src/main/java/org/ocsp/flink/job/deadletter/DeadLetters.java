package org.ocsp.flink.job.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.flink.util.OutputTag;
import org.ocsp.flink.job.OutRecord;
import org.ocsp.flink.job.RawRecord;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.deadletter.DeadLetter;

/**
 * Builds dead-letter records (topic, partition, offset, stage, error class, reason, payload,
 * run, config hash) for the transactional sink. A bad record never throws: it goes here. The
 * payload is bounded (by default {@value #PAYLOAD_PREFIX_BYTES} bytes, with the whole value's size and
 * SHA-256), so a dead letter never exceeds the producer's request size and fails the sink.
 *
 * <pre>{@code
 * ctx.output(DeadLetters.TAG, deadLetters.of(raw, "decode-batch", e, null, null));
 * }</pre>
 */
public final class DeadLetters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Side output every operator sends its dead letters to. */
    public static final OutputTag<OutRecord> TAG = new OutputTag<>("dead-letters") { };

    /** The most of a record's value a dead letter keeps: a bad record near the topic's size limit still fits. */
    public static final int PAYLOAD_PREFIX_BYTES = 64 * 1024;

    private final String topic;
    private final int payloadBytes;

    public DeadLetters(String deadLetterTopic) {
        this(deadLetterTopic, PAYLOAD_PREFIX_BYTES);
    }

    /** @param payloadBytes how much of a rejected record to keep (JobSettingDef.DEAD_LETTER_PAYLOAD_BYTES) */
    public DeadLetters(String deadLetterTopic, int payloadBytes) {
        this.topic = deadLetterTopic;
        this.payloadBytes = payloadBytes;
    }

    public OutRecord of(String sourceTopic, int partition, long offset, byte[] key, byte[] payload, String stage,
                        String errorClass, String reason, String runId, String configHash, EventCodec codec) {
        byte[] value = payload == null ? new byte[0] : payload;
        DeadLetter d = DeadLetter.newBuilder().setSourceTopic(sourceTopic == null ? "" : sourceTopic)
                .setPartition(partition).setOffset(offset).setStage(stage).setErrorClass(errorClass).setReason(reason)
                .setPayload(ByteBuffer.wrap(value, 0, Math.min(value.length, payloadBytes)).slice())
                .setPayloadSize((long) value.length).setPayloadSha256(sha256(value))
                .setKey(key == null ? null : ByteBuffer.wrap(key)).setRunId(runId).setConfigHash(configHash)
                .setTime(Instant.ofEpochMilli(System.currentTimeMillis())).build();
        byte[] k = runId == null ? key : runId.getBytes(StandardCharsets.UTF_8);
        return new OutRecord(topic, k, codec.encode(d));
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public OutRecord of(RawRecord raw, String stage, Throwable error, EventCodec codec) {
        return of(raw.topic, raw.partition, raw.offset, raw.key, raw.value, stage, error.getClass().getName(),
                String.valueOf(error.getMessage()), null, null, codec);
    }
}
