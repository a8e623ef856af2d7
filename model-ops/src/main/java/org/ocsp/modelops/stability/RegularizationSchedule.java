package org.ocsp.modelops.stability;

import java.util.OptionalDouble;

/**
 * When the sparsity penalty starts and how strong it is at a given epoch. Pure functions of the
 * configuration, so a restored tracker recomputes exactly the same lambda.
 */
final class RegularizationSchedule {
    /** The automatic rule only looks at epochs after this one (reference: {@code epoch > 3}). */
    static final int AUTOMATIC_EARLIEST_AFTER = 3;
    /** The automatic rule compares J_avg(t) with J_avg(t - 2), independent of the lag (reference). */
    static final int AUTOMATIC_PLATEAU_DISTANCE = 2;

    private RegularizationSchedule() {
    }

    /**
     * Whether regularisation, not yet active, becomes active at monitoring epoch t.
     *
     * @param stabilityTwoEarlier J_avg(t-2), empty when epoch t-2 was not a monitoring epoch
     */
    static boolean startsAt(StabilityConfig config, int t, double stability, OptionalDouble stabilityTwoEarlier) {
        if (config.regularizationStart() == RegularizationStartMode.FIXED) {
            return (long) t > (long) config.slStart() + 1;
        }
        return t > AUTOMATIC_EARLIEST_AFTER && stabilityTwoEarlier.isPresent()
                && stability - stabilityTwoEarlier.getAsDouble() <= config.plateauEps();
    }

    /**
     * lambda at epoch t when regularisation started at epoch r: lambdaStart plus one lambdaDelta per
     * completed interval. Computed as start + k * delta rather than summed step by step, so the value
     * does not depend on how many times the tracker was restored.
     */
    static double lambda(StabilityConfig config, int r, int t) {
        long increments = ((long) t - r) / config.lambdaInterval();
        return config.lambdaStart() + increments * config.lambdaDelta();
    }

    /**
     * Whether lambda at epoch t differs from epoch t-1: true at t = r, where it first appears, and at
     * every later interval boundary unless lambdaDelta is 0.
     */
    static boolean lambdaChangesAt(StabilityConfig config, int r, int t) {
        if (t == r) {
            return true;
        }
        return config.lambdaDelta() != 0.0 && ((long) t - r) % config.lambdaInterval() == 0;
    }
}
