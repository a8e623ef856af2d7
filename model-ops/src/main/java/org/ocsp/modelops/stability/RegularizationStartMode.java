package org.ocsp.modelops.stability;

/**
 * How the epoch at which the sparsity penalty starts (t_sl-start) is chosen.
 *
 * <pre>{@code
 * StabilityConfig c = StabilityConfig.builder()
 *     .optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(30).build();
 * }</pre>
 */
public enum RegularizationStartMode {
    /** Active for epoch t when t > slStart + 1 (reference CIFAR setting). */
    FIXED,
    /**
     * Active from the first epoch t > 3 with J_avg(t) - J_avg(t-2) <= plateauEps (reference ImageNet
     * setting). Default, because a stream's total length may not be known in advance.
     */
    AUTOMATIC
}
