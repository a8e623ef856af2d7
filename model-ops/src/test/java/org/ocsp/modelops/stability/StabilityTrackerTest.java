package org.ocsp.modelops.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocsp.modelops.stability.Masks.ab;
import static org.ocsp.modelops.stability.Masks.g;
import static org.ocsp.modelops.stability.Masks.ints;
import static org.ocsp.modelops.stability.Masks.notExpected;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.selection.SubnetworkMask;

class StabilityTrackerTest {
    private static final double EPS = 1e-12;

    @Test
    void denseEpochsNeitherAskForAMaskNorRecordAnything() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        for (int t = 0; t < 2; t++) {
            EpochDecision d = tracker.step(t, notExpected(t));
            assertEquals(EpochDecision.dense(t), d);
            assertEquals(Phase.DENSE, d.phase());
            assertEquals(Optional.empty(), d.mask());
            assertEquals(OptionalDouble.empty(), d.similarity());
        }
        assertEquals(List.of(), tracker.snapshot().recentMasks());
    }

    @Test
    void similarityIsZeroUntilTheMaskFromLagEpochsEarlierExists() {
        // Defaults: monitorStart 2, lag 2, window 3. s_4 is the first comparison (M_2 vs M_4).
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        tracker.step(0, notExpected(0));
        tracker.step(1, notExpected(1));
        EpochDecision d2 = tracker.step(2, () -> g(0, 1, 2, 3));
        EpochDecision d3 = tracker.step(3, () -> g(0, 1));
        EpochDecision d4 = tracker.step(4, () -> g(0, 1));
        assertEquals(Phase.MONITORING, d2.phase());
        assertEquals(Optional.of(g(0, 1, 2, 3)), d2.mask());
        assertEquals(0.0, d2.similarity().getAsDouble());
        assertEquals(Map.of(), d2.groupJaccard());
        assertEquals(0.0, d3.similarity().getAsDouble());
        assertEquals(Map.of(), d3.groupJaccard());
        // Jaccard({0,1,2,3}, {0,1}) = 2 / 4
        assertEquals(Map.of("g", 0.5), d4.groupJaccard());
        assertEquals(0.5, d4.similarity().getAsDouble(), EPS);
    }

    @Test
    void stabilityAveragesTheLastWindowValuesWithEarlyZeros() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        List<SubnetworkMask> masks = List.of(g(0), g(0), g(0, 1, 2, 3), g(0, 1), g(0, 1), g(0, 1), g(0, 1));
        List<EpochDecision> d = Masks.run(tracker, 6, masks::get);
        // s_2 = s_3 = 0 (no M_0, M_1); s_4 = J(M_2, M_4) = 0.5; s_5 = J(M_3, M_5) = 1; s_6 = J(M_4, M_6) = 1
        assertEquals(0.0, d.get(2).stability().getAsDouble(), EPS);
        assertEquals(0.0, d.get(3).stability().getAsDouble(), EPS);
        assertEquals(0.5 / 3, d.get(4).stability().getAsDouble(), EPS);          // (0 + 0 + 0.5) / 3
        assertEquals(0.5, d.get(5).stability().getAsDouble(), EPS);              // (0 + 0.5 + 1) / 3
        assertEquals(2.5 / 3, d.get(6).stability().getAsDouble(), EPS);          // (0.5 + 1 + 1) / 3
        assertFalse(d.get(6).pruneAtEndOfEpoch());
    }

    @Test
    void beforeWindowEpochsExistStabilityIsTheMeanOfTheValuesPresent() {
        // monitorStart 0, lag 1: s_1 = J(M_0, M_1) = 1 already at epoch 1, when only s_0 and s_1 exist.
        StabilityConfig c = StabilityConfig.builder().optMonitorStart(0).optLag(1).build();
        List<EpochDecision> d = Masks.run(StabilityTracker.start(c), 2, t -> g(0, 1));
        assertEquals(0.0, d.get(0).stability().getAsDouble(), EPS);      // s_0 = 0: no M_{-1}
        assertEquals(0.5, d.get(1).stability().getAsDouble(), EPS);      // (0 + 1) / 2, not (0 + 0 + 1) / 3
        assertEquals(2.0 / 3, d.get(2).stability().getAsDouble(), EPS);  // (0 + 1 + 1) / 3
    }

    @Test
    void denseEpochsCountAsZerosInTheWindow() {
        // monitorStart 3, lag 1: J_avg(4) averages s_2 (dense, 0), s_3 (no M_2, 0) and s_4 = 1.
        StabilityConfig c = StabilityConfig.builder().optMonitorStart(3).optLag(1).build();
        List<EpochDecision> d = Masks.run(StabilityTracker.start(c), 4, t -> g(0, 1));
        assertEquals(0.0, d.get(3).stability().getAsDouble(), EPS);
        assertEquals(1.0 / 3, d.get(4).stability().getAsDouble(), EPS);
    }

    @Test
    void weightedAveragingWeighsGroupsByOriginalWidth() {
        StabilityConfig c = StabilityConfig.builder().optMonitorStart(0).optLag(1)
                .optJaccardAveraging(JaccardAveraging.WEIGHTED).build();
        StabilityTracker tracker = StabilityTracker.start(c, Map.of("a", 4, "b", 12));
        tracker.step(0, () -> ab(ints(0, 1, 2), ints(0)));
        EpochDecision d1 = tracker.step(1, () -> ab(ints(1, 2, 3), ints(0, 1, 2, 3)));
        assertEquals(Map.of("a", 0.5, "b", 0.25), d1.groupJaccard());
        assertEquals(5.0 / 16, d1.similarity().getAsDouble(), EPS);          // (4 * 0.5 + 12 * 0.25) / 16
        assertEquals(5.0 / 32, d1.stability().getAsDouble(), EPS);           // (0 + 5/16) / 2
    }

    @Test
    void weightedAveragingWithoutWidthsIsRejected() {
        StabilityConfig c = StabilityConfig.builder().optJaccardAveraging(JaccardAveraging.WEIGHTED).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StabilityTracker.start(c));
        assertEquals("Stability state does not fit the configuration: jaccardAveraging=WEIGHTED needs the "
                + "original width of every group, but none were given", e.getMessage());
    }

    @Test
    void maskIsFrozenAndPrunedWhenStabilityReachesTau() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        List<EpochDecision> d = Masks.run(tracker, 6, t -> g(1, 4, 5));
        // s_4 = s_5 = s_6 = 1 -> J_avg: 1/3, 2/3, 1
        assertEquals(1.0 / 3, d.get(4).stability().getAsDouble(), EPS);
        assertEquals(2.0 / 3, d.get(5).stability().getAsDouble(), EPS);
        assertFalse(d.get(5).pruneAtEndOfEpoch());
        EpochDecision tStar = d.get(6);
        assertEquals(1.0, tStar.stability().getAsDouble(), EPS);
        assertTrue(tStar.pruneAtEndOfEpoch());
        assertEquals(Optional.of(PruneReason.TAU_REACHED), tStar.pruneReason());
        assertEquals(Optional.of(g(1, 4, 5)), tStar.mask());
        assertEquals(Optional.of(new PruneEvent(6, PruneReason.TAU_REACHED, g(1, 4, 5))), tracker.pruneEvent());

        EpochDecision after = tracker.step(7, notExpected(7));
        assertEquals(EpochDecision.pruned(7), after);
        assertEquals(Phase.PRUNED, after.phase());
        assertEquals(OptionalDouble.empty(), after.lambda());
    }

    @Test
    void hardCapForcesPruningWithTheCurrentMask() {
        StabilityConfig c = StabilityConfig.builder().optHardCap(5).build();
        StabilityTracker tracker = StabilityTracker.start(c);
        List<EpochDecision> d = Masks.run(tracker, 5, Masks::neverStable);
        assertFalse(d.get(4).pruneAtEndOfEpoch());
        assertEquals(0.0, d.get(5).stability().getAsDouble(), EPS);
        assertEquals(Optional.of(PruneReason.HARD_CAP), d.get(5).pruneReason());
        assertEquals(Optional.of(Masks.neverStable(5)), d.get(5).mask());
        assertEquals(Phase.PRUNED, tracker.step(6, notExpected(6)).phase());
    }

    @Test
    void tauWinsOverHardCapAtTheSameEpoch() {
        StabilityConfig c = StabilityConfig.builder().optHardCap(6).build();
        List<EpochDecision> d = Masks.run(StabilityTracker.start(c), 6, t -> g(0));
        assertEquals(Optional.of(PruneReason.TAU_REACHED), d.get(6).pruneReason());
    }

    @Test
    void epochGapIsRejected() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        tracker.step(0, notExpected(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tracker.step(2, notExpected(2)));
        assertEquals("Expected epoch 1 but got epoch 2: epochs must be stepped once each, in order, without gaps",
                e.getMessage());
        assertEquals(1, tracker.nextEpoch());
    }

    @Test
    void repeatedOrEarlierEpochIsRejected() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        tracker.step(0, notExpected(0));
        tracker.step(1, notExpected(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tracker.step(1, notExpected(1)));
        assertEquals("Expected epoch 2 but got epoch 1: epochs must be stepped once each, in order, without gaps",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> StabilityTracker.start(StabilityConfig.defaults())
                .step(1, notExpected(1)));
    }

    @Test
    void candidateWithOtherGroupsIsRejectedAndLeavesTheTrackerUnchanged() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.builder().optMonitorStart(0).build());
        tracker.step(0, () -> g(0, 1));
        StabilityState before = tracker.snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tracker.step(1, () -> ab(ints(0), ints(0))));
        assertEquals("Candidate mask for epoch 1 does not fit earlier masks or group widths: Masks have different "
                + "groups: only in first [g], only in second [a, b]; Jaccard similarity needs the same group ids",
                e.getMessage());
        assertEquals(before, tracker.snapshot());
        assertEquals(Phase.MONITORING, tracker.step(1, () -> g(0, 2)).phase());
    }

    @Test
    void candidateKeepingAChannelBeyondTheGroupWidthIsRejected() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.builder().optMonitorStart(0).build(),
                Map.of("g", 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tracker.step(0, () -> g(1, 4)));
        assertEquals("Candidate mask for epoch 0 keeps channel 4 of group 'g', which has only 4 channels",
                e.getMessage());
    }

    @Test
    void lastDecisionIsTheOneForThePreviousEpoch() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        assertEquals(Optional.empty(), tracker.lastDecision());
        Masks.run(tracker, 3, t -> g(0));
        assertEquals(3, tracker.lastDecision().get().epoch());
        assertEquals(4, tracker.nextEpoch());
    }
}
