package org.ocsp.modelops.selection;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A chosen sub-network with the FLOPs it would have and the reduction it achieves, and what the
 * ranking it came from looked like: how many channels of each group the per-group limit protected
 * (group order) and the score of the highest-ranked channel removed (empty when none was).
 */
public record Selection(SubnetworkMask mask, double denseFlops, double flops, int prunedChannels,
                        List<Integer> protectedCounts, OptionalDouble threshold) {
    public Selection {
        Objects.requireNonNull(mask, "mask");
        protectedCounts = List.copyOf(protectedCounts);
        Objects.requireNonNull(threshold, "threshold");
    }

    public double reduction() {
        return 1 - flops / denseFlops;
    }

    /** Whether the reduction is within {@code tolerance} of {@code target}. */
    public boolean meets(double target, double tolerance) {
        return Math.abs(reduction() - target) <= tolerance;
    }
}
