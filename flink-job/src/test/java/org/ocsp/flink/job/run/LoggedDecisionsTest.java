package org.ocsp.flink.job.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.job.ControlEvent;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.PruningReason;
import org.ocsp.schemas.avro.event.RegularizationStarted;

/** Every event type read back from the log, as real Avro bytes, and the decision it carries. */
class LoggedDecisionsTest {
    private static final EventCodec CODEC = EventCodec.create();
    private static final List<GroupMask> MASK = List.of(
            GroupMask.newBuilder().setGroupId("features.0").setOriginalWidth(4).setKept(List.of(0, 3)).build(),
            GroupMask.newBuilder().setGroupId("features.4").setOriginalWidth(3).setKept(List.of(1)).build());

    private static ControlEvent event(RecordType type, int epoch, SpecificRecord record) {
        ControlEvent e = new ControlEvent();
        e.runId = "r";
        e.type = type;
        e.epoch = epoch;
        e.sequence = 3;
        e.value = CODEC.encode(record);
        return e;
    }

    private static org.ocsp.schemas.avro.event.EventHeader header(int epoch) {
        return RunSpecs.header("r", 3, epoch, 40, "stability", "h");
    }

    @Test
    void aMaskSnapshotCarriesItsEpochAndTheKeptChannelsPerGroup() throws Exception {
        MaskSnapshot m = MaskSnapshot.newBuilder().setHeader(header(5)).setGroups(MASK).setGroupJaccard(List.of())
                .setSimilarity(0.5).setStabilityScore(0.4).setSaliencyDigest("d").build();
        Decision.Mask d = assertInstanceOf(Decision.Mask.class, LoggedDecisions.decode(event(RecordType.MASK_SNAPSHOT, 5, m),
                CODEC));
        assertEquals(5, d.epoch());
        assertEquals(List.of("features.0", "features.4"), List.copyOf(d.kept().keySet()));
        assertArrayEquals(new int[] {0, 3}, d.kept().get("features.0"));
        assertArrayEquals(new int[] {1}, d.kept().get("features.4"));
    }

    @Test
    void aPenaltyChangeCarriesTheNewLambda() throws Exception {
        PenaltyChanged p = PenaltyChanged.newBuilder().setHeader(header(7)).setLambdaOld(0.2).setLambdaNew(0.4).build();
        assertEquals(new Decision.Penalty(7, 0.4), LoggedDecisions.decode(event(RecordType.PENALTY_CHANGED, 7, p), CODEC));
    }

    @Test
    void theRegularisationStartCarriesTheEventsEpoch() throws Exception {
        RegularizationStarted r = RegularizationStarted.newBuilder().setHeader(header(4))
                .setMode(org.ocsp.schemas.avro.event.RegularizationStartMode.FIXED).setReason("fixed").setStabilityScore(0.3).build();
        assertEquals(new Decision.RegularizationStarted(4),
                LoggedDecisions.decode(event(RecordType.REGULARIZATION_STARTED, 4, r), CODEC));
    }

    @Test
    void aPruningEventCarriesTStarAndTheFinalMask() throws Exception {
        PruningEvent p = PruningEvent.newBuilder().setHeader(header(6)).setTStar(6).setReason(PruningReason.values()[0])
                .setStabilityScore(0.95).setFinalMask(MASK)
                .setChannelCounts(List.of(new GroupChannelCount("features.0", 4, 2), new GroupChannelCount("features.4", 3, 1)))
                .setFlopsBefore(100).setFlopsAfter(50).setParamsBefore(10).setParamsAfter(5).build();
        Decision.Prune d = assertInstanceOf(Decision.Prune.class, LoggedDecisions.decode(event(RecordType.PRUNING_EVENT, 6, p),
                CODEC));
        assertEquals(6, d.tStar());
        assertArrayEquals(new int[] {0, 3}, d.kept().get("features.0"));
    }

    @Test
    void recordsOfWhatHappenedCarryNoDecision() throws Exception {
        ControlEvent e = event(RecordType.RUN_STARTED, 0, RunSpecs.runStarted("r", RunSpecs.toSpec(
                org.ocsp.modelops.config.RunConfig.builder().build(), null)));
        e.type = RecordType.EPOCH_COMPLETED;
        assertEquals(new Decision.None(), LoggedDecisions.decode(e, CODEC));
    }

    @Test
    void bytesThatAreNotTheNamedTypeAreUnreadable() {
        PenaltyChanged p = PenaltyChanged.newBuilder().setHeader(header(7)).setLambdaOld(0.2).setLambdaNew(0.4).build();
        assertThrows(UnreadableRecordException.class,
                () -> LoggedDecisions.decode(event(RecordType.MASK_SNAPSHOT, 7, p), CODEC));
    }
}
