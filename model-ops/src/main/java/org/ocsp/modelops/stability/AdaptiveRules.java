package org.ocsp.modelops.stability;

/**
 * The ADAPTIVE rules' formulas (see {@link StabilityTracker}), pure functions of the configuration
 * and the epoch's quantities. StrictMath, so the audit recomputes the same bits on any JVM.
 *
 * <p><b>Why a geometric path.</b> The penalty is a decoupled shrink, w &lt;- w (1 - lambda lr) after
 * every step, so over one epoch it multiplies the penalised weights by about exp(-lambda * sum of
 * lr), and their scores (squared weights) by the square of that: a constant factor per epoch for a
 * constant lambda * lr. A geometric path of the removal weight, rho_r (target / rho_r)^(k / P) after
 * k epochs, asks for the same factor in every epoch of the path, so the lambda that follows it
 * stays about constant where the rate does, instead of a linear path's demand that grows without
 * bound as rho nears the target; and it asks for a fixed share of the way in each epoch, so nothing
 * is left for a last, abrupt push just before t* (abrupt removal of weight costs accuracy).
 */
final class AdaptiveRules {
    private AdaptiveRules() {
    }

    /** Regularisation starts at a monitoring epoch whose churn is known and at most adaptive-start-churn. */
    static boolean startsAt(StabilityConfig config, java.util.OptionalDouble churn) {
        return churn.isPresent() && churn.getAsDouble() <= config.adaptiveStartChurn();
    }

    /** P = max(2, ceil(adaptive-path-share * (horizon - r))) epochs from start to the end of the path. */
    static long pathEpochs(StabilityConfig config, int r) {
        long left = (long) config.horizon().orElseThrow() - r;
        return Math.max(2L, (long) StrictMath.ceil(config.adaptivePathShare() * left));
    }

    /**
     * planned(t) = rho_r (end / rho_r)^min(1, (t - r) / P) with end = adaptive-negligible-ratio; a
     * start already at or below the end stays flat (the penalty has nothing to push).
     */
    static double planned(StabilityConfig config, int r, double startRatio, int t) {
        double end = config.adaptiveNegligibleRatio();
        if (startRatio <= end) {
            return startRatio;
        }
        double share = Math.min(1.0, (double) ((long) t - r) / pathEpochs(config, r));
        if (share >= 1.0) {
            return end;
        }
        if (startRatio == Double.POSITIVE_INFINITY) {
            return startRatio;
        }
        return startRatio * StrictMath.pow(end / startRatio, share);
    }

    /**
     * lambda_t = lambda_{t-1} * min(max-rise, max(1, (rho_t / planned)^gain)): a removal weight above
     * the path raises lambda, the more the further it lags; on or below the path lambda holds. It
     * never falls, because a falling penalty lets the removed channels grow back.
     */
    static double nextLambda(StabilityConfig config, double previous, double ratio, double planned) {
        if (!(ratio > planned)) {
            return previous;
        }
        double q = ratio / planned;   // > 1; +infinity when planned is 0 or ratio is +infinity
        double factor = Math.min(config.adaptiveMaxRise(), StrictMath.pow(q, config.adaptiveGain()));
        return Math.min(Double.MAX_VALUE, previous * factor);
    }

    /**
     * t* by the ADAPTIVE stop rule: a regularised epoch whose selection is stable (churn <=
     * adaptive-stop-churn, or J_avg >= tau) and whose removed channels weigh at most the path's end.
     */
    static boolean stableAndNegligible(StabilityConfig config, boolean regularized, java.util.OptionalDouble churn,
                                       double stability, double ratio) {
        boolean stable = stability >= config.tau()
                || churn.isPresent() && churn.getAsDouble() <= config.adaptiveStopChurn();
        return regularized && stable && ratio <= config.adaptiveNegligibleRatio();
    }
}
