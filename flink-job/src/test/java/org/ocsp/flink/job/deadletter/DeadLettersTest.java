package org.ocsp.flink.job.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.job.OutRecord;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.deadletter.DeadLetter;

class DeadLettersTest {
    private static final EventCodec CODEC = EventCodec.create();
    private final DeadLetters deadLetters = new DeadLetters("dl");

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] array(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private DeadLetter deadLetterOf(byte[] payload) throws Exception {
        OutRecord r = deadLetters.of("batches", 0, 7, null, payload, "decode-batch", "E", "bad", "r", null, CODEC);
        return CODEC.decode(r.value, DeadLetter.class);
    }

    @Test
    void aRecordAtTheTopicsSizeLimitLeavesABoundedDeadLetterThatNamesTheWholeValue() throws Exception {
        byte[] huge = bytes(Topics.MAX_MESSAGE_BYTES - 64);
        OutRecord r = deadLetters.of("batches", 0, 7, null, huge, "decode-batch", "E", "bad", "r", null, CODEC);
        assertTrue(r.value.length < DeadLetters.PAYLOAD_PREFIX_BYTES + 1024, "dead letter of " + r.value.length + " bytes");
        DeadLetter d = CODEC.decode(r.value, DeadLetter.class);
        assertArrayEquals(Arrays.copyOf(huge, DeadLetters.PAYLOAD_PREFIX_BYTES), array(d.getPayload()));
        assertEquals(huge.length, d.getPayloadSize());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(huge)), d.getPayloadSha256());
    }

    @Test
    void aSmallRecordIsKeptWhole() throws Exception {
        byte[] small = bytes(100);
        DeadLetter d = deadLetterOf(small);
        assertArrayEquals(small, array(d.getPayload()));
        assertEquals(100L, d.getPayloadSize());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(small)), d.getPayloadSha256());
    }

    @Test
    void aNullValueIsAnEmptyPayload() throws Exception {
        DeadLetter d = deadLetterOf(null);
        assertEquals(0, d.getPayload().remaining());
        assertEquals(0L, d.getPayloadSize());
    }
}
