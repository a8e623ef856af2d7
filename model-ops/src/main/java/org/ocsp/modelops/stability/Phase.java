package org.ocsp.modelops.stability;

/**
 * The phase a training epoch is in, as decided by {@link StabilityTracker#step}.
 *
 * <pre>{@code
 * if (decision.phase() == Phase.REGULARIZING) { penalise(decision.mask().get(), decision.lambda().getAsDouble()); }
 * }</pre>
 */
public enum Phase {
    /** Before monitorStart: plain dense training, no sub-network is computed. */
    DENSE,
    /** A candidate sub-network is computed and compared, no penalty yet. */
    MONITORING,
    /** As MONITORING, and the channels pruned by the current mask are penalised with lambda. */
    REGULARIZING,
    /** After t*: the network has been pruned; fine-tuning without penalty. */
    PRUNED
}
