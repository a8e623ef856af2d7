package org.ocsp.modelops.train;

import java.util.Arrays;

/**
 * Learning rate as a function of the global iteration (stepped per iteration, as the
 * reference does). Position survives surgery: the caller keeps the iteration counter.
 *
 * <pre>{@code
 * LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 0.0, epochs * itersPerEpoch);
 * double lr = s.lr(it);
 * }</pre>
 */
public interface LearningRateSchedule {
    double lr(long iteration);

    static LearningRateSchedule constant(double lr) {
        return it -> lr;
    }

    /** Cosine from base to min over total iterations, then min. */
    static LearningRateSchedule cosine(double base, double min, long total) {
        check(total);
        return it -> it >= total ? min : min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * it / total));
    }

    /** Linear from base to end over total iterations, then end. */
    static LearningRateSchedule linear(double base, double end, long total) {
        check(total);
        return it -> it >= total ? end : base + (end - base) * ((double) it / total);
    }

    /** base * gamma^k where k = number of milestones (iterations) already reached. */
    static LearningRateSchedule multiStep(double base, long[] milestones, double gamma) {
        long[] m = milestones.clone();
        Arrays.sort(m);
        return it -> {
            int k = 0;
            while (k < m.length && it >= m[k]) {
                k++;
            }
            return base * Math.pow(gamma, k);
        };
    }

    /**
     * base * gamma^floor(it / stepIterations): the rate multiplied by gamma every {@code stepIterations}
     * iterations (PyTorch's {@code StepLR}).
     */
    static LearningRateSchedule step(double base, long stepIterations, double gamma) {
        check(stepIterations);
        return it -> base * Math.pow(gamma, it / stepIterations);
    }

    /** {@link #step} every {@code stepEpochs} epochs of {@code batchesPerEpoch} iterations. */
    static LearningRateSchedule stepAtEpochs(double base, int stepEpochs, double gamma, long batchesPerEpoch) {
        check(stepEpochs);
        check(batchesPerEpoch);
        return step(base, Math.multiplyExact(stepEpochs, batchesPerEpoch), gamma);
    }

    /** The reference's CIFAR schedule multiplies the rate by this at each milestone. */
    double CIFAR_GAMMA = 0.2;

    /**
     * The reference's CIFAR milestones in whole epochs: 30/60/80/90 % of the planned epochs, rounded.
     * Whole epochs, because the logged run spec states its milestones in epochs; for the reference's
     * 300 epochs they are the same iterations as 30/60/80/90 % of the iterations. A milestone listed
     * twice (few epochs) applies gamma twice, as PyTorch's {@code MultiStepLR} does.
     */
    static int[] cifarMilestoneEpochs(int epochs) {
        check(epochs);
        return new int[] {(int) Math.round(epochs * 0.3), (int) Math.round(epochs * 0.6), (int) Math.round(epochs * 0.8),
            (int) Math.round(epochs * 0.9)};
    }

    /** {@link #multiStep} with milestones at the start of these (0-based) epochs. */
    static LearningRateSchedule multiStepAtEpochs(double base, int[] milestoneEpochs, double gamma, long batchesPerEpoch) {
        check(batchesPerEpoch);
        return multiStep(base, Arrays.stream(milestoneEpochs).mapToLong(e -> e * batchesPerEpoch).toArray(), gamma);
    }

    private static void check(long total) {
        if (total <= 0) {
            throw new IllegalArgumentException("Invalid value " + total + " for configuration total iterations: must be > 0");
        }
    }
}
