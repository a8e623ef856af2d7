package org.ocsp.modelops.train;

import org.ocsp.modelops.engine.Execution;
import org.ocsp.modelops.saliency.SaliencyKind;

/**
 * What a training session needs besides the architecture; {@code costAware}: see
 * {@link SaliencyKind#measure}; {@code execution}: the engine and conv algorithm of its network.
 */
public record TrainingSettings(int batchSize, long seed, SgdConfig sgd, LearningRateSchedule schedule, SaliencyKind saliency,
                               boolean costAware, Execution execution) {
    /** With the reference's cost-aware scores, computed as {@link Execution#fromSystemProperties()} says (tests, bench). */
    public TrainingSettings(int batchSize, long seed, SgdConfig sgd, LearningRateSchedule schedule, SaliencyKind saliency) {
        this(batchSize, seed, sgd, schedule, saliency, true, Execution.fromSystemProperties());
    }

    public TrainingSettings {
        java.util.Objects.requireNonNull(execution, "execution");
        if (batchSize < 1) {
            throw new IllegalArgumentException("Invalid value " + batchSize + " for configuration batchSize: must be > 0");
        }
    }
}
