package org.ocsp.modelops.train;

import org.ocsp.modelops.saliency.SaliencyKind;

/** What a training session needs besides the architecture. */
public record TrainingSettings(int batchSize, long seed, SgdConfig sgd, LearningRateSchedule schedule, SaliencyKind saliency) {
    public TrainingSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Invalid value " + batchSize + " for configuration batchSize: must be > 0");
        }
    }
}
