package org.ocsp.modelops.selection;

/** A chosen sub-network with the FLOPs it would have and the reduction it achieves. */
public record Selection(SubnetworkMask mask, double denseFlops, double flops, int prunedChannels) {
    public double reduction() {
        return 1 - flops / denseFlops;
    }

    /** Whether the reduction is within {@code tolerance} of {@code target}. */
    public boolean meets(double target, double tolerance) {
        return Math.abs(reduction() - target) <= tolerance;
    }
}
