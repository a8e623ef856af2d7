package org.ocsp.modelops.stability;

/**
 * Why the tracker chose the current epoch as t* (prune at its end).
 *
 * <pre>{@code
 * decision.pruneReason().ifPresent(r -> log.info("pruning at end of epoch {} ({})", decision.epoch(), r));
 * }</pre>
 */
public enum PruneReason {
    /** J_avg(t) >= tau: the sub-network is stable. */
    TAU_REACHED,
    /** The configured hard-cap epoch was reached before J_avg reached tau. */
    HARD_CAP,
    /**
     * ADAPTIVE rules only: the selection churns by at most adaptive-stop-churn and the channels it
     * removes weigh at most adaptive-negligible-ratio of the kept ones.
     */
    STABLE_AND_NEGLIGIBLE
}
