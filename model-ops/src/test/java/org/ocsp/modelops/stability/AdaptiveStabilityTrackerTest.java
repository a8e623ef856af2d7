package org.ocsp.modelops.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocsp.modelops.stability.Masks.g;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.selection.SubnetworkMask;

class AdaptiveStabilityTrackerTest {
    private static final double EPS = 1e-12;
    private static final SubnetworkMask A = g(0, 1, 2, 3, 4);
    private static final SubnetworkMask B = g(0, 1, 2, 3, 5);

    /** ADAPTIVE with every adaptive setting given, so the tests do not follow the tuned defaults. */
    private static StabilityConfig.Builder adaptive(int horizon) {
        return StabilityConfig.builder().optStabilityRules(StabilityRules.ADAPTIVE).optHorizon(horizon)
                .optAdaptiveStartChurn(0.2).optAdaptiveStopChurn(0.02).optAdaptiveNegligibleRatio(0.05)
                .optAdaptivePathShare(0.5).optAdaptiveLambdaStart(0.01).optAdaptiveGain(2).optAdaptiveMaxRise(4);
    }

    private static EpochDecision step(StabilityTracker tracker, int t, SubnetworkMask mask, double rho) {
        return tracker.stepScored(t, () -> new Candidate(mask, rho));
    }

    private static Supplier<Candidate> notExpected(int t) {
        return () -> {
            throw new AssertionError("candidate supplier called for epoch " + t);
        };
    }

    private static List<EpochDecision> run(StabilityTracker tracker, int last, IntFunction<SubnetworkMask> masks,
                                           IntToDoubleFunction rho) {
        List<EpochDecision> decisions = new ArrayList<>();
        for (int t = tracker.nextEpoch(); t <= last; t++) {
            int epoch = t;
            decisions.add(tracker.stepScored(epoch, () -> new Candidate(masks.apply(epoch), rho.applyAsDouble(epoch))));
        }
        return decisions;
    }

    @Test
    void regularisationStartsAtTheFirstEpochWhoseChurnIsAtMostTheStartChurn() {
        // Defaults monitorStart 2, lag 2; width 4.
        StabilityTracker tracker = StabilityTracker.start(adaptive(10).build(), Map.of("g", 4));
        assertEquals(EpochDecision.dense(0), tracker.stepScored(0, notExpected(0)));
        assertEquals(EpochDecision.dense(1), tracker.stepScored(1, notExpected(1)));
        EpochDecision d2 = step(tracker, 2, g(0, 1), 0.5);
        assertEquals(Phase.MONITORING, d2.phase());
        assertEquals(OptionalDouble.empty(), d2.churn());                 // no M_1
        assertEquals(OptionalDouble.of(0.5), d2.removalWeightRatio());
        assertEquals(OptionalDouble.empty(), d2.plannedRatio());
        EpochDecision d3 = step(tracker, 3, g(2, 3), 0.5);
        assertEquals(1.0, d3.churn().getAsDouble(), EPS);                 // removes {0, 1}, both kept by M_2
        EpochDecision d4 = step(tracker, 4, g(0, 2), 0.45);
        assertEquals(0.5, d4.churn().getAsDouble(), EPS);                 // removes {1, 3}; M_3 kept 3
        assertFalse(d4.regularizationActive());
        EpochDecision d5 = step(tracker, 5, g(0, 2), 0.4);
        assertEquals(0.0, d5.churn().getAsDouble(), EPS);
        assertTrue(d5.regularizationStartedNow());
        assertEquals(Phase.REGULARIZING, d5.phase());
        assertEquals(OptionalDouble.of(0.01), d5.lambda());               // adaptive-lambda-start
        assertTrue(d5.lambdaChanged());
        assertEquals(OptionalDouble.of(0.4), d5.plannedRatio());          // the path starts at rho_r
        // s_4 = J({0,1}, {0,2}) = 1/3, s_5 = J({2,3}, {0,2}) = 1/3: J_avg(5) = (0 + 1/3 + 1/3) / 3
        assertEquals(2.0 / 9, d5.stability().getAsDouble(), EPS);
        assertEquals(Optional.of(new AdaptivePenalty(0.4, 0.01)), tracker.snapshot().adaptivePenalty());
    }

    @Test
    void lambdaRisesWithTheLagBehindTheGeometricPathAndNeverFalls() {
        // monitorStart 0, lag 1, width 10; A and B alternate: churn 1/5 every epoch from 1, s_t = J(A, B) = 4/6.
        // Start r = 1 (churn 0.2 <= 0.2), rho_r = 0.8; P = max(2, ceil(0.5 * (9 - 1))) = 4, so the path halves
        // every epoch: 0.8 (1/16)^((t-1)/4) = 0.4, 0.2, 0.1, 0.05, then stays at 0.05.
        StabilityConfig c = adaptive(9).optMonitorStart(0).optLag(1).optHardCap(7).build();
        double[] rho = {0.9, 0.8, 0.8, 0.3, 0.09, 0.2, 0.1, 0.1};
        List<EpochDecision> d = run(StabilityTracker.start(c, Map.of("g", 10)), 7, t -> t % 2 == 0 ? A : B, t -> rho[t]);
        assertEquals(OptionalDouble.empty(), d.get(0).churn());
        assertEquals(0.2, d.get(1).churn().getAsDouble(), EPS);
        assertTrue(d.get(1).regularizationStartedNow());
        double[] planned = {0.8, 0.4, 0.2, 0.1, 0.05, 0.05};
        // t2: q = 0.8 / 0.4 = 2, q^2 = 4 -> x4; t3: q = 1.5 -> x2.25; t4: 0.09 under 0.1 -> holds;
        // t5: q = 4, q^2 = 16 -> capped at x4; t6: q = 2 -> x4.
        double[] lambda = {0.01, 0.04, 0.09, 0.09, 0.36, 1.44};
        boolean[] changed = {true, true, true, false, true, true};
        for (int t = 1; t <= 6; t++) {
            EpochDecision e = d.get(t);
            assertEquals(planned[t - 1], e.plannedRatio().getAsDouble(), EPS, "planned, epoch " + t);
            assertEquals(lambda[t - 1], e.lambda().getAsDouble(), EPS, "lambda, epoch " + t);
            assertEquals(changed[t - 1], e.lambdaChanged(), "lambdaChanged, epoch " + t);
            assertEquals(Optional.empty(), e.pruneReason(), "churn 0.2 never allows t*, epoch " + t);
        }
        assertEquals(2.0 / 3, d.get(6).stability().getAsDouble(), EPS);
        assertEquals(Optional.of(PruneReason.HARD_CAP), d.get(7).pruneReason());   // the cap is still the safety net
    }

    @Test
    void tStarIsTheFirstRegularisedEpochThatIsStableAndNegligible() {
        // Defaults monitorStart 2, lag 2, window 3; the same mask from epoch 2: churn 0 from epoch 3 (start),
        // J_avg(4) = 1/3, J_avg(5) = 2/3, J_avg(6) = 1.
        StabilityTracker tracker = StabilityTracker.start(adaptive(10).build(), Map.of("g", 4));
        double[] rho = {0, 0, 0.5, 0.4, 0.2, 0.04};
        List<EpochDecision> d = run(tracker, 5, t -> g(0, 1), t -> rho[t]);
        assertTrue(d.get(3).regularizationStartedNow());
        assertEquals(Optional.empty(), d.get(4).pruneReason());           // rho 0.2 > 0.05
        EpochDecision tStar = d.get(5);
        assertEquals(Optional.of(PruneReason.STABLE_AND_NEGLIGIBLE), tStar.pruneReason());
        assertEquals(2.0 / 3, tStar.stability().getAsDouble(), EPS);
        assertEquals(new PruneEvent(5, PruneReason.STABLE_AND_NEGLIGIBLE, g(0, 1)), tracker.pruneEvent().orElseThrow());
        assertEquals(EpochDecision.pruned(6), tracker.stepScored(6, notExpected(6)));
        assertEquals(Optional.empty(), tracker.snapshot().adaptivePenalty());
    }

    @Test
    void reachingTauIsNotTStarWhileTheRemovedChannelsStillWeigh() {
        StabilityTracker tracker = StabilityTracker.start(adaptive(10).build(), Map.of("g", 4));
        double[] rho = {0, 0, 0.5, 0.4, 0.2, 0.06, 0.06, 0.06, 0.01};
        List<EpochDecision> d = run(tracker, 8, t -> g(0, 1), t -> rho[t]);
        assertEquals(Optional.empty(), d.get(5).pruneReason());           // churn 0, but rho 0.06 > 0.05
        assertEquals(1.0, d.get(6).stability().getAsDouble(), EPS);
        assertEquals(Optional.empty(), d.get(6).pruneReason());           // J_avg(6) = 1 >= tau, rho still 0.06
        assertEquals(Optional.empty(), d.get(7).pruneReason());
        assertEquals(Optional.of(PruneReason.STABLE_AND_NEGLIGIBLE), d.get(8).pruneReason());
    }

    @Test
    void aChurningSelectionAtTauWithNegligibleWeightIsStable() {
        // Alternating masks keep churn at 1 > adaptive-stop-churn; tau 0.3 is reached by J_avg of 1/3 at epoch 4.
        StabilityTracker tracker = StabilityTracker.start(adaptive(10).optTau(0.3).optAdaptiveStartChurn(1.0).build(),
                Map.of("g", 4));
        double[] rho = {0, 0, 0.5, 0.01, 0.01};
        List<EpochDecision> d = run(tracker, 4, t -> t % 2 == 0 ? g(0, 1) : g(2, 3), t -> rho[t]);
        assertTrue(d.get(3).regularizationActive());
        assertEquals(1.0, d.get(4).churn().getAsDouble(), EPS);
        assertEquals(Optional.of(PruneReason.STABLE_AND_NEGLIGIBLE), d.get(4).pruneReason());
    }

    @Test
    void theStartEpochItselfCanBeTStar() {
        StabilityTracker tracker = StabilityTracker.start(adaptive(10).build(), Map.of("g", 4));
        double[] rho = {0, 0, 0.5, 0.01};
        List<EpochDecision> d = run(tracker, 3, t -> g(0, 1), t -> rho[t]);
        assertTrue(d.get(3).regularizationStartedNow());
        assertEquals(Optional.of(PruneReason.STABLE_AND_NEGLIGIBLE), d.get(3).pruneReason());
    }

    /** Alternating masks until epoch 4, then A: churn 0.2, then 0 from epoch 5; rho halves every epoch. */
    private static final IntFunction<SubnetworkMask> SETTLING = t -> t >= 4 || t % 2 == 0 ? A : B;
    private static final IntToDoubleFunction HALVING = t -> 0.8 * Math.pow(0.5, t);

    @Test
    void restoringAtAnyEpochGivesTheSameDecisionsAsAnUninterruptedRun() throws Exception {
        StabilityConfig c = adaptive(12).optMonitorStart(0).optLag(1).build();
        Map<String, Integer> widths = Map.of("g", 10);
        int last = 8;
        List<EpochDecision> uninterrupted = run(StabilityTracker.start(c, widths), last, SETTLING, HALVING);
        Set<Phase> seen = EnumSet.noneOf(Phase.class);
        uninterrupted.forEach(d -> seen.add(d.phase()));
        assertEquals(EnumSet.of(Phase.MONITORING, Phase.REGULARIZING, Phase.PRUNED), seen);
        assertEquals(Optional.of(PruneReason.STABLE_AND_NEGLIGIBLE), uninterrupted.get(5).pruneReason());
        for (int split = 0; split <= last; split++) {
            StabilityTracker first = StabilityTracker.start(c, widths);
            List<EpochDecision> decisions = new ArrayList<>(run(first, split - 1, SETTLING, HALVING));
            StabilityState state = first.snapshot();
            byte[] bytes = StabilityStateSerializer.toBytes(state);
            StabilityState read = StabilityStateSerializer.fromBytes(bytes);
            assertEquals(state, read, "split " + split);
            assertArrayEquals(bytes, StabilityStateSerializer.toBytes(read));
            // v2 while the state holds ADAPTIVE data: not before epoch 0, nor once a PRUNED epoch is the last decision
            assertEquals(split == 0 || split > 6 ? 1 : 2, StabilityStateSerializer.versionFor(state), "split " + split);
            StabilityTracker restored = StabilityTracker.restore(c, read);
            decisions.addAll(run(restored, last, SETTLING, HALVING));
            assertEquals(uninterrupted, decisions, "restored before epoch " + split);
        }
    }

    /** Written by the build before the ADAPTIVE rules (format v1): FIXED start at epoch 4, lambda 2e-4 at epoch 5. */
    private static final String V1_STATE = "0000000100000006000000020001610000000400016200000003000000020000000400000002000161"
            + "0000000200000000000000020001620000000100000001000000050000000200016100000002000000000000000200016200000001"
            + "000000010000000300000000000000003ff00000000000003fe5555555555555000000023fd55555555555553fe1c71c71c71c71010"
            + "00000040100000005000c524547554c4152495a494e4701000000020001610000000200000000000000020001620000000100000001"
            + "000000020001613fd55555555555550001623ff0000000000000013fe5555555555555013fe1c71c71c71c710100013f2a36e2eb1c43"
            + "2d010000";

    @Test
    void aStateWrittenBeforeTheAdaptiveRulesStillRestoresAndContinuesAsItDid() throws Exception {
        StabilityConfig c = StabilityConfig.builder().optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(2)
                .build();
        Map<String, Integer> widths = new LinkedHashMap<>();
        widths.put("a", 4);
        widths.put("b", 3);
        byte[] old = HexFormat.of().parseHex(V1_STATE);
        StabilityState state = StabilityStateSerializer.fromBytes(old);
        assertEquals(6, state.nextEpoch());
        assertEquals(Optional.empty(), state.adaptivePenalty());
        assertArrayEquals(old, StabilityStateSerializer.toBytes(state), "a REFERENCE state is still written as v1");
        StabilityTracker restored = StabilityTracker.restore(c, state);
        SubnetworkMask m = SubnetworkMask.builder().put("a", new int[] {0, 2}).put("b", new int[] {1}).build();
        // What that build decided next (lambda 1e-4 + k * 1e-4 from r = 4; J_avg 8/9, 8/9, 1):
        double[] lambda = {3e-4, 4e-4, 5e-4};
        for (int t = 6; t <= 8; t++) {
            EpochDecision d = restored.step(t, () -> m);
            assertEquals(lambda[t - 6], d.lambda().getAsDouble(), 1e-18, "epoch " + t);
            assertEquals(OptionalDouble.empty(), d.removalWeightRatio());
        }
        assertEquals(new PruneEvent(8, PruneReason.TAU_REACHED, m), restored.pruneEvent().orElseThrow());
        assertEquals(EpochDecision.pruned(9), restored.step(9, Masks.notExpected(9)));
    }

    @Test
    void referenceRulesDecideTheSameWithOrWithoutTheRemovalWeight() {
        StabilityConfig c = StabilityConfig.builder().optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(2)
                .optHardCap(9).build();
        IntFunction<SubnetworkMask> masks = t -> t < 6 ? Masks.shifting(t) : g(3, 4, 5);
        List<EpochDecision> plain = Masks.run(StabilityTracker.start(c, Map.of("g", 8)), 10, masks);
        StabilityTracker scored = StabilityTracker.start(c, Map.of("g", 8));
        assertEquals(plain, run(scored, 10, masks, HALVING));
        assertTrue(plain.stream().allMatch(d -> d.churn().isEmpty() && d.removalWeightRatio().isEmpty()
                && d.plannedRatio().isEmpty()));
    }

    @Test
    void theMaskOnlyStepRefusesAnAdaptiveMonitoringEpochAndChangesNothing() {
        StabilityTracker tracker = StabilityTracker.start(adaptive(10).build(), Map.of("g", 4));
        assertEquals(EpochDecision.dense(0), tracker.step(0, Masks.notExpected(0)));
        assertEquals(EpochDecision.dense(1), tracker.step(1, Masks.notExpected(1)));
        StabilityState before = tracker.snapshot();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tracker.step(2, () -> g(0, 1)));
        assertEquals("Epoch 2 is a monitoring epoch under ADAPTIVE rules, which need the candidate's removal weight: "
                + "call stepScored with a Candidate", e.getMessage());
        assertEquals(before, tracker.snapshot());
    }

    @Test
    void aReferenceStateDoesNotContinueUnderAdaptiveRules() {
        StabilityConfig reference = StabilityConfig.builder().optRegularizationStart(RegularizationStartMode.FIXED)
                .optSlStart(2).build();
        StabilityTracker tracker = StabilityTracker.start(reference, Map.of("g", 4));
        Masks.run(tracker, 5, Masks::g1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StabilityTracker.restore(adaptive(10).build(), tracker.snapshot()));
        assertEquals("Stability state does not fit the configuration: regularisation started under "
                + "stability-rules=ADAPTIVE keeps its adaptive penalty, but the state has none (was it written with the "
                + "REFERENCE rules?)", e.getMessage());
    }

    @Test
    void adaptiveRulesNeedTheGroupWidths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StabilityTracker.start(adaptive(10).build()));
        assertEquals("Stability state does not fit the configuration: stability-rules=ADAPTIVE needs the original width "
                + "of every group (churn counts the channels a mask removes), but none were given", e.getMessage());
    }

    @Test
    void aPlannedRatioOutsideRegularisationIsInconsistent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EpochDecision(3,
                Phase.MONITORING, Optional.of(g(0)), Map.of(), OptionalDouble.of(0), OptionalDouble.of(0), false, false,
                OptionalDouble.empty(), false, Optional.empty(), OptionalDouble.of(0.1), OptionalDouble.of(0.3),
                OptionalDouble.of(0.3)));
        assertEquals("Inconsistent decision for epoch 3: a planned removal weight needs regularization", e.getMessage());
    }
}
