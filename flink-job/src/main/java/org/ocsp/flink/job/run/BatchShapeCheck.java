package org.ocsp.flink.job.run;

import java.util.List;
import java.util.Optional;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.flink.job.RunBatch;

/** Whether a batch fits the run's model: example shape, batch size, labels. A misfit is a dead letter. */
public final class BatchShapeCheck {
    private BatchShapeCheck() {
    }

    /** Why {@code b} cannot feed a run of {@code spec}; empty when it can (and for EpochEnd markers). */
    public static Optional<String> problem(RunSpec spec, RunBatch b) {
        if (b.epochEnd) {
            return Optional.empty();
        }
        List<Integer> in = spec.getInputShape();
        if (b.c != in.get(0) || b.h != in.get(1) || b.w != in.get(2)) {
            return Optional.of("examples of shape [" + b.c + ", " + b.h + ", " + b.w + "], the run's model takes " + in);
        }
        if (b.n > spec.getBatchSize()) {
            return Optional.of(b.n + " examples, more than the run's batch size " + spec.getBatchSize());
        }
        for (int y : b.labels) {
            if (y < 0 || y >= spec.getNumClasses()) {
                return Optional.of("label " + y + " outside [0, " + spec.getNumClasses() + ")");
            }
        }
        return Optional.empty();
    }
}
