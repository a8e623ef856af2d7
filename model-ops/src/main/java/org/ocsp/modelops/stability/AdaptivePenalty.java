package org.ocsp.modelops.stability;

/**
 * The ADAPTIVE penalty's memory between epochs, part of {@link StabilityState}: the removal weight
 * at the start epoch (where the planned path begins) and the lambda of the latest regularised epoch
 * (the next one is a multiple of it).
 *
 * <pre>{@code
 * tracker.snapshot().adaptivePenalty().ifPresent(p -> System.out.println(p.lambda()));
 * }</pre>
 *
 * @param startRatio rho_r, the removal weight ratio at the start epoch r (>= 0, may be +infinity)
 * @param lambda lambda of the latest regularised epoch (finite, > 0)
 */
public record AdaptivePenalty(double startRatio, double lambda) {
    public AdaptivePenalty {
        if (!(startRatio >= 0)) {
            throw new IllegalArgumentException("Invalid start removal weight " + startRatio + ": must be >= 0");
        }
        if (!(lambda > 0 && Double.isFinite(lambda))) {
            throw new IllegalArgumentException("Invalid adaptive lambda " + lambda + ": must be finite and > 0");
        }
    }
}
