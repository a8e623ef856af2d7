package org.ocsp.modelops.selection;

/**
 * The reference's per-group limit: at most floor(C * Lmax * (1 - exp(-k*C))) of a group's C
 * channels may be pruned; the rest (the top-scored) are protected.
 */
public record PruningLimit(double maxFraction, double k) {
    public PruningLimit {
        if (!(maxFraction >= 0 && maxFraction < 1)) {
            throw new IllegalArgumentException("Invalid value " + maxFraction + " for configuration maxFraction: must be in [0, 1)");
        }
        if (!(k > 0)) {
            throw new IllegalArgumentException("Invalid value " + k + " for configuration k: must be > 0");
        }
    }

    public static PruningLimit reference() {
        return new PruningLimit(0.75, 1.0);
    }

    public int maxPrunable(int width) {
        return Math.min(width - 1, (int) Math.floor(width * maxFraction * (1 - Math.exp(-k * width))));
    }
}
