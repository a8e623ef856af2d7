package org.ocsp.modelops.stability;

import java.util.Objects;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * A candidate sub-network M_t with its removal weight ratio rho_t, what
 * {@link StabilityTracker#stepScored} decides an epoch from. The ADAPTIVE rules need rho_t; the
 * REFERENCE rules ignore it.
 *
 * <pre>{@code
 * tracker.stepScored(t, () -> Candidate.of(selection.mask(), scores));   // live: from the float32 scores
 * tracker.stepScored(t, () -> new Candidate(loggedMask, RemovalWeight.ratio(loggedMask, loggedScores))); // audit
 * }</pre>
 *
 * @param mask M_t, kept channels per group
 * @param removalWeightRatio rho_t ({@link RemovalWeight#ratio}), >= 0 (may be +infinity)
 */
public record Candidate(SubnetworkMask mask, double removalWeightRatio) {
    public Candidate {
        Objects.requireNonNull(mask, "mask");
        if (!(removalWeightRatio >= 0)) {
            throw new IllegalArgumentException("Invalid removal weight ratio " + removalWeightRatio + ": must be >= 0");
        }
    }

    /** The candidate {@code mask} with rho computed from the scores it was selected from. */
    public static Candidate of(SubnetworkMask mask, GroupScores scores) {
        return new Candidate(mask, RemovalWeight.ratio(mask, scores));
    }
}
