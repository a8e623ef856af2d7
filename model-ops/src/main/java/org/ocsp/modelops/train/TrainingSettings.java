package org.ocsp.modelops.train;

import org.ocsp.modelops.saliency.SaliencyKind;

/** What a training session needs besides the architecture; {@code costAware}: see {@link SaliencyKind#measure}. */
public record TrainingSettings(int batchSize, long seed, SgdConfig sgd, LearningRateSchedule schedule, SaliencyKind saliency,
                               boolean costAware) {
    /** With the reference's cost-aware scores. */
    public TrainingSettings(int batchSize, long seed, SgdConfig sgd, LearningRateSchedule schedule, SaliencyKind saliency) {
        this(batchSize, seed, sgd, schedule, saliency, true);
    }

    public TrainingSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Invalid value " + batchSize + " for configuration batchSize: must be > 0");
        }
    }
}
