package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.stability.RegularizationStartMode;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.flink.job.run.ScoresCodec;

/** The stability operator's events for the trainer's outputs, through Flink's keyed test harness (no cluster). */
class StabilityOperatorTest {
    private static final EventCodec CODEC = EventCodec.create();
    private static final String RUN = "r";

    /** Monitoring from epoch 0, regularisation fixed from epoch 1, pruning forced at epoch 2, 4 epochs. */
    private static final RunSpec SPEC = RunSpecs.toSpec(RunConfig.builder().set(RunConfigDef.EPOCHS, 4)
            .set(RunConfigDef.MONITOR_START, 0).set(RunConfigDef.REG_START, RegularizationStartMode.FIXED)
            .set(RunConfigDef.SL_START, 0).set(RunConfigDef.HARD_CAP, 2).set(RunConfigDef.LAMBDA_START, 0.1).build(), null);

    private static KeyedOneInputStreamOperatorTestHarness<String, TrainerOutput, OutRecord> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new StabilityOperator("events", java.util.Optional.empty()), o -> o.runId, Types.STRING);
    }

    private static byte[] scores(long seed) {
        Map<String, double[]> m = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (ChannelGroup g : ChannelGroups.derive(RunSpecs.graph(SPEC))) {
            double[] s = new double[g.width()];
            for (int i = 0; i < s.length; i++) {
                s[i] = r.nextDouble();
            }
            m.put(g.id(), s);
        }
        return ScoresCodec.toBytes(new GroupScores(m));
    }

    private static TrainerOutput start() {
        TrainerOutput o = new TrainerOutput();
        o.runId = RUN;
        o.kind = TrainerOutput.Kind.START;
        o.runStarted = CODEC.encode(RunSpecs.runStarted(RUN, SPEC));
        o.scores = scores(0);
        return o;
    }

    private static TrainerOutput epoch(int t, boolean withScores) {
        TrainerOutput o = new TrainerOutput();
        o.runId = RUN;
        o.kind = TrainerOutput.Kind.EPOCH;
        o.epoch = t;
        o.datasetEpoch = 10 + t;
        o.step = 5L * (t + 1);
        o.last = t == SPEC.getEpochsPlanned() - 1;
        o.scores = withScores ? scores(t + 1) : null;
        o.testAccuracy = 0.5;
        o.testLoss = 1.0;
        return o;
    }

    private static List<SpecificRecord> events(KeyedOneInputStreamOperatorTestHarness<String, TrainerOutput, OutRecord> h)
            throws Exception {
        List<SpecificRecord> events = new ArrayList<>();
        for (OutRecord r : h.extractOutputValues()) {
            events.add(CODEC.decode(r.value));
        }
        return events;
    }

    private static List<String> kinds(List<SpecificRecord> events) {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void theStartDecidesEpochZeroAndTheMaskSnapshotComesLast() throws Exception {
        try (var h = harness()) {
            h.processElement(start(), 1);
            List<SpecificRecord> events = events(h);
            assertEquals(List.of("MaskSnapshot"), kinds(events), "monitoring only: no penalty yet");
            EventHeader header = ((MaskSnapshot) events.get(0)).getHeader();
            assertEquals(1, header.getSequence(), "RunStarted is 0");
            assertEquals(0, header.getEpoch());
            assertEquals(RunSpecs.configHash(SPEC), header.getConfigHash());
        }
    }

    @Test
    void eachEpochIsRecordedThenDecidedInTheOrderTheTrainerReliesOn() throws Exception {
        try (var h = harness()) {
            h.processElement(start(), 1);
            h.processElement(epoch(0, true), 2);
            h.processElement(epoch(1, true), 3);
            List<SpecificRecord> events = events(h);
            // Epoch 2 gets the whole decision: regularisation starts (FIXED: after sl-start + 1), its lambda, and the
            // hard cap's t*, then the MaskSnapshot that tells the trainer the decision is complete.
            assertEquals(List.of("MaskSnapshot", "EpochCompleted", "MaskSnapshot", "EpochCompleted", "RegularizationStarted",
                    "PenaltyChanged", "PruningEvent", "MaskSnapshot"), kinds(events));
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i + 1, ((EventHeader) events.get(i).get(0)).getSequence(), "gap-free sequence at " + i);
            }
            assertEquals(11, ((EpochCompleted) events.get(3)).getDatasetEpoch());
            assertEquals(2, ((RegularizationStarted) events.get(4)).getHeader().getEpoch());
            assertEquals(0.1, ((PenaltyChanged) events.get(5)).getLambdaNew());
            assertEquals(0, ((PenaltyChanged) events.get(5)).getLambdaOld());
            PruningEvent p = (PruningEvent) events.get(6);
            assertEquals(2, p.getTStar(), "the hard cap");
            assertTrue(p.getFlopsAfter() < p.getFlopsBefore());
        }
    }

    @Test
    void theLastEpochIsRecordedButNotDecidedAndThePublishedModelIsLogged() throws Exception {
        try (var h = harness()) {
            h.processElement(start(), 1);
            TrainerOutput last = epoch(3, false);
            h.processElement(last, 2);
            TrainerOutput published = new TrainerOutput();
            published.runId = RUN;
            published.kind = TrainerOutput.Kind.PUBLISHED;
            published.epoch = 3;
            published.uri = "file:///m/model.ocsp";
            published.sha256 = "ab";
            published.testAccuracy = 0.5;
            h.processElement(published, 3);
            List<SpecificRecord> events = events(h);
            assertEquals(List.of("MaskSnapshot", "EpochCompleted", "ModelPublished"), kinds(events));
            assertEquals(4, ((ModelPublished) events.get(2)).getFinalMetrics().getEpochsTrained());
        }
    }

    @Test
    void anEpochToDecideWithoutScoresIsRefusedWithTheRunAndEpoch() throws Exception {
        try (var h = harness()) {
            h.processElement(start(), 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.processElement(epoch(0, false), 2));
            assertEquals("Epoch 1 of run r needs saliency scores, the trainer sent none", e.getMessage());
        }
    }

    @Test
    void anOutputForARunWithoutRunStartedIsRefused() throws Exception {
        try (var h = harness()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.processElement(epoch(0, true), 1));
            assertInstanceOf(IllegalStateException.class, e);
            assertEquals("Run r has no RunStarted in the stability operator's state", e.getMessage());
        }
    }
}
