package org.ocsp.modelops.train;

import java.util.Optional;
import java.util.OptionalDouble;
import org.ocsp.modelops.stability.EpochDecision;

/**
 * One epoch's outcome: metrics, the stability decision it ran under, and the pruning if any.
 *
 * <pre>{@code
 * r.pruning().ifPresent(p -> System.out.println(r.testAccuracy() - r.testAccuracyAfterPruning().getAsDouble()));
 * }</pre>
 *
 * @param testAccuracy accuracy on the EVAL batches at the end of the epoch; at t* before the surgery
 * @param testAccuracyAfterPruning at t* only: the same EVAL batches right after the surgery, before any
 *     fine-tuning (so {@code testAccuracy - testAccuracyAfterPruning} is the drop at removal)
 */
public record EpochReport(int epoch, EpochDecision decision, double trainLoss, double trainAccuracy, double testLoss,
                          double testAccuracy, double learningRate, long flops, long params, double imagesPerSecond,
                          long durationMillis, Optional<PruneResult> pruning, OptionalDouble testAccuracyAfterPruning) {
    public EpochReport {
        java.util.Objects.requireNonNull(testAccuracyAfterPruning, "testAccuracyAfterPruning");
        if (testAccuracyAfterPruning.isPresent() && pruning.isEmpty()) {
            throw new IllegalArgumentException("Epoch " + epoch + ": an accuracy after pruning needs a pruning");
        }
    }

    /** A report without the accuracy after the surgery, as before it was measured. */
    public EpochReport(int epoch, EpochDecision decision, double trainLoss, double trainAccuracy, double testLoss,
                       double testAccuracy, double learningRate, long flops, long params, double imagesPerSecond,
                       long durationMillis, Optional<PruneResult> pruning) {
        this(epoch, decision, trainLoss, trainAccuracy, testLoss, testAccuracy, learningRate, flops, params,
                imagesPerSecond, durationMillis, pruning, OptionalDouble.empty());
    }

    public OptionalDouble similarity() {
        return decision.similarity();
    }

    public OptionalDouble stability() {
        return decision.stability();
    }
}
