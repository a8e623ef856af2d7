package org.ocsp.modelops.train;

import java.util.Optional;
import java.util.OptionalDouble;
import org.ocsp.modelops.stability.EpochDecision;

/** One epoch's outcome: metrics, the stability decision it ran under, and the pruning if any. */
public record EpochReport(int epoch, EpochDecision decision, double trainLoss, double trainAccuracy, double testLoss,
                          double testAccuracy, double learningRate, long flops, long params, double imagesPerSecond,
                          long durationMillis, Optional<PruneResult> pruning) {
    public OptionalDouble similarity() {
        return decision.similarity();
    }

    public OptionalDouble stability() {
        return decision.stability();
    }
}
