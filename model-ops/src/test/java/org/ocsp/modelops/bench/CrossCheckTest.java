package org.ocsp.modelops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrossCheckTest {
    @Test
    void maxRelativeDifferenceIsTakenAgainstTheReferenceOverCommonSteps() {
        List<Double> ours = List.of(2.0, 2.2, 3.0, 9.0);
        List<Double> reference = List.of(2.0, 2.0, 3.3);
        // step 2: 0.2 / 2.0 = 0.1; step 3: 0.3 / 3.3 = 0.0909; step 4 has no reference value
        assertEquals(0.1, CrossCheck.maxRelDiff(ours, reference), 1e-12);
        assertEquals(0.0, CrossCheck.maxRelDiff(reference, reference), 0.0);
    }

    @Test
    void float64ReferenceIsOnUnlessSwitchedOff() {
        BenchCommand on = new BenchCommand();
        new picocli.CommandLine(on).parseArgs();
        assertEquals(true, on.float64Reference);
        BenchCommand off = new BenchCommand();
        new picocli.CommandLine(off).parseArgs("--no-float64-reference");
        assertEquals(false, off.float64Reference);
    }

    /**
     * Where PyTorch float32 alone strays past the loss tolerance from float64, model-ops is gated by
     * its own distance from float64 against PyTorch float32's; elsewhere the 1e-3 bar stays.
     */
    @Test
    void divergingTrajectoriesAreGatedByTheFloat32Yardstick() {
        CrossCheck.TensorDiff none = new CrossCheck.TensorDiff("-", 0);
        List<Double> torch64 = List.of(2.0, 1.0);
        List<Double> torch32 = List.of(2.0, 1.1);
        CrossCheck.Result close = new CrossCheck.Result(List.of(2.0, 1.2), torch32, torch64,
                CrossCheck.maxRelDiff(List.of(2.0, 1.2), torch32), none, none, none);
        assertTrue(close.byTrajectory());
        assertEquals(2.0, close.trajectoryRatio(), 1e-9);
        assertTrue(close.ok());
        CrossCheck.Result far = new CrossCheck.Result(List.of(2.0, 1.5), torch32, torch64,
                CrossCheck.maxRelDiff(List.of(2.0, 1.5), torch32), none, none, none);
        assertFalse(far.ok(), "5x PyTorch float32's distance from float64");
        List<Double> steady = List.of(2.0, 1.0);
        CrossCheck.Result vgg = new CrossCheck.Result(List.of(2.0, 1.01), steady, steady, 0.01, none, none, none);
        assertFalse(vgg.byTrajectory());
        assertFalse(vgg.ok(), "1e-2 against a PyTorch float32 that matches float64: the 1e-3 bar holds");
    }
}
