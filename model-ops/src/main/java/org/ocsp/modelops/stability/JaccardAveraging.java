package org.ocsp.modelops.stability;

/**
 * How per-group Jaccard similarities are averaged into one similarity value s_t.
 *
 * <pre>{@code
 * StabilityConfig c = StabilityConfig.builder().optJaccardAveraging(JaccardAveraging.WEIGHTED).build();
 * }</pre>
 */
public enum JaccardAveraging {
    /** Plain mean over groups, as the reference implementation does (default). */
    UNWEIGHTED,
    /**
     * Mean weighted by each group's ORIGINAL width (channel count before pruning). Our improvement:
     * with the unweighted mean a 16-channel group moves s_t as much as a 2048-channel one.
     */
    WEIGHTED
}
