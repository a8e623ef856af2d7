package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void cosineStartsAtBaseHalvesAtMiddleAndEndsAtMin() {
        LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 0.0, 100);
        assertEquals(0.1, s.lr(0), 1e-12);
        assertEquals(0.05, s.lr(50), 1e-12);
        assertEquals(0.0, s.lr(100), 1e-12);
        assertEquals(0.0, s.lr(1000), 1e-12);
    }

    @Test
    void cifarMultiStepMultipliesByPointTwoFromTheEpochsAtThirtySixtyEightyNinetyPercent() {
        assertArrayEquals(new int[] {3, 6, 8, 9}, LearningRateSchedule.cifarMilestoneEpochs(10));
        LearningRateSchedule s = LearningRateSchedule.multiStepAtEpochs(0.1, LearningRateSchedule.cifarMilestoneEpochs(10),
                LearningRateSchedule.CIFAR_GAMMA, 100);
        assertEquals(0.1, s.lr(299), 1e-12);
        assertEquals(0.02, s.lr(300), 1e-12);
        assertEquals(0.004, s.lr(600), 1e-12);
        assertEquals(0.0008, s.lr(800), 1e-12);
        assertEquals(0.00016, s.lr(900), 1e-12);
    }

    @Test
    void aMilestoneListedTwiceAppliesGammaTwiceAsPyTorchDoes() {
        assertArrayEquals(new int[] {2, 4, 6, 6}, LearningRateSchedule.cifarMilestoneEpochs(7));
        LearningRateSchedule s = LearningRateSchedule.multiStepAtEpochs(1, new int[] {2, 4, 6, 6}, 0.5, 3);
        assertEquals(0.25, s.lr(17), 1e-12);
        assertEquals(0.0625, s.lr(18), 1e-12);
    }

    @Test
    void linearInterpolates() {
        LearningRateSchedule s = LearningRateSchedule.linear(0.1, 0.0, 10);
        assertEquals(0.05, s.lr(5), 1e-12);
    }

    @Test
    void rejectsEmptyRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0, 0));
        assertEquals("Invalid value 0 for configuration total iterations: must be > 0", e.getMessage());
    }

    @Test
    void stepMultipliesByGammaAtTheStartOfEveryStepEpochs() {
        // 10 batches an epoch, x0.1 every 3 epochs
        LearningRateSchedule s = LearningRateSchedule.stepAtEpochs(0.1, 3, 0.1, 10);
        assertEquals(0.1, s.lr(0), 1e-15);
        assertEquals(0.1, s.lr(29), 1e-15);
        assertEquals(0.01, s.lr(30), 1e-15);
        assertEquals(0.01, s.lr(59), 1e-15);
        assertEquals(0.001, s.lr(60), 1e-15);
        assertEquals(1e-4, s.lr(95), 1e-15);
    }

    @Test
    void stepEveryTenEpochsIsTheMultiStepScheduleWithMilestonesEveryTenEpochs() {
        LearningRateSchedule step = LearningRateSchedule.stepAtEpochs(0.1, 10, 0.1, 7);
        LearningRateSchedule multi = LearningRateSchedule.multiStepAtEpochs(0.1, new int[] {10, 20}, 0.1, 7);
        for (long it = 0; it < 30 * 7; it++) {
            assertEquals(multi.lr(it), step.lr(it), 0, "iteration " + it);
        }
    }

    @Test
    void stepRejectsAnEmptyPeriod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.stepAtEpochs(0.1, 0, 0.1, 10));
        assertEquals("Invalid value 0 for configuration total iterations: must be > 0", e.getMessage());
    }
}
