package org.ocsp.flink.bench;

import java.util.List;

/** Everything the bench measured for one architecture. */
record ArchResult(String arch, String data, int warmupEpochs, List<RunMeasurement> runs,
                  List<CheckpointSample> checkpoints) {
    List<RunMeasurement> runs(RunMeasurement.Mode mode) {
        return runs.stream().filter(r -> r.mode() == mode).toList();
    }
}
