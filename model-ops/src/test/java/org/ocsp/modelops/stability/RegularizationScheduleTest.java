package org.ocsp.modelops.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Regularisation start and lambda schedule, driven through {@link StabilityTracker}. */
class RegularizationScheduleTest {
    private static final double EPS = 1e-15;

    private static StabilityConfig.Builder fixed(int slStart) {
        return StabilityConfig.builder().optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(slStart);
    }

    @Test
    void fixedModeStartsAtSlStartPlusTwo() {
        // active when t > slStart + 1 = 4, so first at 5
        List<EpochDecision> d = Masks.run(StabilityTracker.start(fixed(3).build()), 6, Masks::neverStable);
        assertEquals(Phase.MONITORING, d.get(4).phase());
        assertFalse(d.get(4).regularizationActive());
        assertEquals(OptionalDouble.empty(), d.get(4).lambda());
        assertEquals(Phase.REGULARIZING, d.get(5).phase());
        assertTrue(d.get(5).regularizationActive());
        assertTrue(d.get(5).regularizationStartedNow());
        assertTrue(d.get(6).regularizationActive());
        assertFalse(d.get(6).regularizationStartedNow());
    }

    @Test
    void lambdaGrowsEveryEpochWithIntervalOne() {
        List<EpochDecision> d = Masks.run(StabilityTracker.start(fixed(3).build()), 8, Masks::neverStable);
        assertLambda(d.get(5), 1e-4, true);
        assertLambda(d.get(6), 2e-4, true);
        assertLambda(d.get(7), 3e-4, true);
        assertLambda(d.get(8), 4e-4, true);
    }

    @Test
    void lambdaGrowsEverySecondEpochWithIntervalTwo() {
        StabilityConfig c = fixed(3).optLambdaInterval(2).optLambdaStart(1e-4).optLambdaDelta(1e-3).build();
        List<EpochDecision> d = Masks.run(StabilityTracker.start(c), 9, Masks::neverStable);
        assertLambda(d.get(5), 1e-4, true);    // r = 5: lambdaStart
        assertLambda(d.get(6), 1e-4, false);
        assertLambda(d.get(7), 1.1e-3, true);  // (7 - 5) % 2 == 0: + 1e-3
        assertLambda(d.get(8), 1.1e-3, false);
        assertLambda(d.get(9), 2.1e-3, true);
    }

    @Test
    void automaticModeStartsWhenStabilityPlateaus() {
        // Masks.shifting gives s_t = 0.5 from epoch 4 on. J_avg(2..8) = 0, 0, 1/6, 1/3, 1/2, 1/2, 1/2.
        // J_avg(t) - J_avg(t-2): t=4: 1/6, t=5: 1/3, t=6: 1/3, t=7: 1/6, t=8: 0 <= 1e-4 -> start at 8.
        List<EpochDecision> d = Masks.run(StabilityTracker.start(StabilityConfig.defaults()), 9, Masks::shifting);
        double[] expected = {0, 0, 1.0 / 6, 1.0 / 3, 0.5, 0.5, 0.5};
        for (int t = 2; t <= 8; t++) {
            assertEquals(expected[t - 2], d.get(t).stability().getAsDouble(), 1e-12, "J_avg(" + t + ")");
        }
        for (int t = 2; t < 8; t++) {
            assertFalse(d.get(t).regularizationActive(), "epoch " + t);
        }
        assertTrue(d.get(8).regularizationStartedNow());
        assertLambda(d.get(8), 1e-4, true);
        assertLambda(d.get(9), 2e-4, true);
        assertFalse(d.get(9).regularizationStartedNow());
    }

    @Test
    void automaticModeWaitsUntilAfterEpochThree() {
        // All s are 0, so J_avg(t) - J_avg(t-2) = 0 from epoch 2 on; the rule needs t > 3.
        StabilityConfig c = StabilityConfig.builder().optMonitorStart(0).build();
        List<EpochDecision> d = Masks.run(StabilityTracker.start(c), 4, Masks::neverStable);
        assertFalse(d.get(2).regularizationActive());
        assertFalse(d.get(3).regularizationActive());
        assertTrue(d.get(4).regularizationStartedNow());
    }

    @Test
    void automaticModeNeedsBothAveragesToExist() {
        // monitorStart 5: J_avg(t-2) first exists at t = 7 (the reference would already start at 4).
        StabilityConfig c = StabilityConfig.builder().optMonitorStart(5).build();
        List<EpochDecision> d = Masks.run(StabilityTracker.start(c), 7, Masks::neverStable);
        assertFalse(d.get(5).regularizationActive());
        assertFalse(d.get(6).regularizationActive());
        assertTrue(d.get(7).regularizationStartedNow());
    }

    @Test
    void regularizationStaysActiveUntilPruning() {
        // FIXED from epoch 4; identical masks reach J_avg = 1 at epoch 6, then fine-tuning has no penalty.
        StabilityTracker tracker = StabilityTracker.start(fixed(2).build());
        List<EpochDecision> d = Masks.run(tracker, 7, t -> Masks.g(0, 1));
        assertTrue(d.get(4).regularizationStartedNow());
        assertTrue(d.get(6).regularizationActive());
        assertTrue(d.get(6).pruneAtEndOfEpoch());
        assertLambda(d.get(6), 3e-4, true);
        assertFalse(d.get(7).regularizationActive());
        assertEquals(OptionalDouble.empty(), d.get(7).lambda());
    }

    @Test
    void zeroDeltaNeverReportsAChangeAfterTheStart() {
        StabilityConfig c = fixed(3).optLambdaDelta(0.0).build();
        List<EpochDecision> d = Masks.run(StabilityTracker.start(c), 7, Masks::neverStable);
        assertLambda(d.get(5), 1e-4, true);
        assertLambda(d.get(6), 1e-4, false);
        assertLambda(d.get(7), 1e-4, false);
    }

    private static void assertLambda(EpochDecision d, double expected, boolean changed) {
        assertEquals(expected, d.lambda().getAsDouble(), EPS, "lambda at epoch " + d.epoch());
        assertEquals(changed, d.lambdaChanged(), "lambdaChanged at epoch " + d.epoch());
    }
}
