package org.ocsp.modelops.stability;

/**
 * Which rules decide the regularisation start, the penalty lambda and t*.
 *
 * <pre>{@code
 * StabilityConfig c = StabilityConfig.builder().optStabilityRules(StabilityRules.ADAPTIVE).optHorizon(30).build();
 * }</pre>
 */
public enum StabilityRules {
    /**
     * The reference implementation's rules, bit for bit (default): FIXED or AUTOMATIC start,
     * lambda = lambdaStart + k * lambdaDelta, t* at J_avg >= tau or the hard cap.
     */
    REFERENCE,
    /**
     * Rules driven by what the penalty is for (issue 18): the start when the selection stops
     * churning, a lambda that makes the removed channels' weight follow a planned path, and t* when
     * the selection is stable and the removed channels carry negligible weight. See
     * {@link StabilityTracker} for the definitions; needs the run's horizon and the channel scores.
     */
    ADAPTIVE
}
