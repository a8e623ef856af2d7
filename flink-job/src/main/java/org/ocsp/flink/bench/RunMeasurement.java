package org.ocsp.flink.bench;

import java.util.List;

/**
 * The epochs of one bare or streaming run. {@link #imagesPerSecond} is the training rate over the
 * measured epochs (all images over all training time, so long epochs weigh more);
 * {@link #endToEndImagesPerSecond} also counts EVAL and the decision waits at the boundaries.
 */
record RunMeasurement(Mode mode, int round, List<EpochSample> epochs) {
    enum Mode { BARE, STREAMING }

    List<EpochSample> measured(int warmupEpochs) {
        List<EpochSample> m = epochs.stream().filter(e -> e.epoch() >= warmupEpochs).toList();
        if (m.isEmpty()) {
            throw new IllegalStateException(mode + " run " + round + " has no epoch after the " + warmupEpochs
                    + " warm-up epoch(s): run more epochs");
        }
        return m;
    }

    double imagesPerSecond(int warmupEpochs) {
        List<EpochSample> m = measured(warmupEpochs);
        return m.stream().mapToLong(EpochSample::trainImages).sum() / m.stream().mapToDouble(EpochSample::trainSeconds).sum();
    }

    double endToEndImagesPerSecond(int warmupEpochs) {
        List<EpochSample> m = measured(warmupEpochs);
        double millis = m.stream().mapToDouble(e -> e.wallMillis() + e.decisionWaitMillis().orElse(0)).sum();
        return m.stream().mapToLong(EpochSample::trainImages).sum() / (millis / 1000);
    }
}
