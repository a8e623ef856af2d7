package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.Split;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.flink.job.deadletter.BadInputException;

/** The batches topic's records, decoded or refused with the reason, without Flink (real Avro bytes). */
class BatchDecoderTest {
    private static final EventCodec CODEC = EventCodec.create();

    private static TrainingBatch.Builder batch(float... features) {
        ByteBuffer bytes = ByteBuffer.allocate(features.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(features);
        return TrainingBatch.newBuilder().setDatasetName("d").setSeed(1).setEpoch(3).setSplit(Split.EVAL).setIndex(2)
                .setBatchCount(null).setShape(List.of(2, 1, 1, 2)).setFeatures(bytes).setLabels(List.of(7, 1));
    }

    private static RawRecord raw(byte[] value) {
        return new RawRecord("ocsp.batches", 4, 99, null, value);
    }

    private static RunBatch decode(TrainingBatch.Builder b) throws Exception {
        return BatchDecoder.decode(raw(CODEC.encode(b.build())), CODEC);
    }

    private static String refusal(UnaryOperator<TrainingBatch.Builder> change) {
        return assertThrows(BadInputException.class, () -> decode(change.apply(batch(1, 2, 3, 4)))).getMessage();
    }

    @Test
    void aBatchDecodesWithItsShapeLabelsFeaturesAndTopicPosition() throws Exception {
        RunBatch b = decode(batch(1, 2, 3, 4.5f));
        assertEquals(List.of(2, 1, 1, 2), List.of(b.n, b.c, b.h, b.w));
        assertArrayEquals(new int[] {7, 1}, b.labels);
        assertArrayEquals(new float[] {1, 2, 3, 4.5f}, b.features);
        assertTrue(b.eval);
        assertEquals(2, b.index);
        assertEquals(List.of("ocsp.batches", 4, 99L), List.of(b.topic, b.partition, b.offset));
    }

    @Test
    void anEpochEndDecodesWithItsCounts() throws Exception {
        byte[] end = CODEC.encode(EpochEnd.newBuilder().setDatasetName("d").setSeed(1).setEpoch(3).setTrainBatches(5)
                .setEvalBatches(1).build());
        RunBatch b = BatchDecoder.decode(raw(end), CODEC);
        assertTrue(b.epochEnd);
        assertEquals(List.of(3, 5, 1), List.of(b.epoch, b.trainBatches, b.evalBatches));
    }

    @Test
    void eachInconsistencyIsRefusedWithWhatIsWrong() {
        assertEquals("Wrong shape [2, 1, 2]: expected 4 dimensions [N, C, H, W]", refusal(b -> b.setShape(List.of(2, 1, 2))));
        assertEquals("Wrong shape [2, 0, 1, 2]: every dimension must be >= 1", refusal(b -> b.setShape(List.of(2, 0, 1, 2))));
        assertEquals("Wrong shape: 1 labels for N = 2 examples", refusal(b -> b.setLabels(List.of(3))));
        assertEquals("Wrong shape [2, 1, 2, 2]: needs 32 feature bytes, got 16", refusal(b -> b.setShape(List.of(2, 1, 2, 2))));
        assertEquals("Invalid batch position: epoch -1, index 2", refusal(b -> b.setEpoch(-1)));
        assertEquals("Invalid batch count 0 for index 0: must be >= 1 and above the index",
                refusal(b -> b.setIndex(0).setBatchCount(0)));
        assertEquals("Invalid batch count -3 for index 0: must be >= 1 and above the index",
                refusal(b -> b.setIndex(0).setBatchCount(-3)));
        assertEquals("Invalid batch count 2 for index 2: must be >= 1 and above the index",
                refusal(b -> b.setBatchCount(2)));
        String nan = assertThrows(BadInputException.class, () -> decode(batch(1, Float.NaN, 3, 4))).getMessage();
        assertEquals("Non-finite feature value NaN at position 1 of EVAL batch 2 of epoch 3", nan);
    }

    @Test
    void anEpochEndWithNegativeCountsIsRefused() {
        byte[] end = CODEC.encode(EpochEnd.newBuilder().setDatasetName("d").setSeed(1).setEpoch(3).setTrainBatches(-1)
                .setEvalBatches(0).build());
        BadInputException e = assertThrows(BadInputException.class, () -> BatchDecoder.decode(raw(end), CODEC));
        assertTrue(e.getMessage().startsWith("Invalid EpochEnd: epoch 3, train batches -1"), e.getMessage());
    }

    @Test
    void anotherRecordTypeOrBytesThatAreNoRecordAreRefused() {
        EventHeader h = EventHeader.newBuilder().setEventId(java.util.UUID.randomUUID()).setRunId("r")
                .setSequence(1).setEpoch(2).setStep(3).setEventTime(java.time.Instant.EPOCH).setProducer("test")
                .setConfigHash("abc").build();
        byte[] event = CODEC.encode(RegularizationStarted.newBuilder().setHeader(h)
                .setMode(org.ocsp.schemas.avro.event.RegularizationStartMode.FIXED).setReason("r").setStabilityScore(0.5).build());
        BadInputException e = assertThrows(BadInputException.class, () -> BatchDecoder.decode(raw(event), CODEC));
        assertTrue(e.getMessage().startsWith("Expected a TrainingBatch or EpochEnd on the batches topic, got a"), e.getMessage());
        assertThrows(UnreadableRecordException.class, () -> BatchDecoder.decode(raw(new byte[] {1, 2, 3}), CODEC));
    }
}
