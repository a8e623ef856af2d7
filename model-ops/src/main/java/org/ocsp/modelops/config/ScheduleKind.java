package org.ocsp.modelops.config;

/** Shape of the learning-rate schedule of a run (stepped per iteration). */
public enum ScheduleKind {
    /** Cosine decay from the base rate to 0 over the planned epochs. */
    COSINE,
    /** The reference's CIFAR schedule: x0.2 at 30, 60, 80 and 90% of the run. */
    MULTI_STEP,
    /** Linear decay from the base rate to 0 over the planned epochs. */
    LINEAR,
    /** x lr-gamma every lr-step-epochs epochs (PyTorch's {@code StepLR}, stepped at epoch boundaries). */
    STEP
}
