package org.ocsp.modelops.stability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Immutable snapshot of a {@link StabilityTracker}: everything needed to continue a run with
 * exactly the same decisions. Stored in checkpoints via {@link StabilityStateSerializer}.
 *
 * <pre>{@code
 * StabilityState s = tracker.snapshot();
 * byte[] bytes = StabilityStateSerializer.toBytes(s);
 * StabilityTracker again = StabilityTracker.restore(config, StabilityStateSerializer.fromBytes(bytes));
 * }</pre>
 *
 * @param nextEpoch the epoch the next {@code step} call must be for
 * @param groupWidths original width per group id (empty unless given at start); used by weighted averaging
 * @param recentMasks the last {@code lag} masks, oldest first (empty after pruning)
 * @param recentSimilarities the s values of the last {@code window} monitoring epochs, oldest first
 * @param recentStabilityScores J_avg of the last two monitoring epochs, oldest first (for the plateau rule)
 * @param regularizationStart epoch r at which regularisation became active, if it did
 * @param lastDecision the decision for epoch {@code nextEpoch - 1}, so that a job restored in the middle
 *     of an epoch knows that epoch's mask, lambda and whether to prune at its end
 * @param pruneEvent t*, its reason and the frozen mask, once chosen
 * @param adaptivePenalty ADAPTIVE rules only: the start removal weight and the latest lambda, from the
 *     start of regularisation until t* (empty otherwise, and always under the REFERENCE rules)
 */
public record StabilityState(
        int nextEpoch,
        Map<String, Integer> groupWidths,
        List<RecordedMask> recentMasks,
        List<Double> recentSimilarities,
        List<Double> recentStabilityScores,
        OptionalInt regularizationStart,
        Optional<EpochDecision> lastDecision,
        Optional<PruneEvent> pruneEvent,
        Optional<AdaptivePenalty> adaptivePenalty) {

    public StabilityState {
        if (nextEpoch < 0) {
            throw new IllegalArgumentException("Invalid nextEpoch " + nextEpoch + ": must be >= 0");
        }
        groupWidths = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(groupWidths, "groupWidths")));
        recentMasks = List.copyOf(recentMasks);
        recentSimilarities = List.copyOf(recentSimilarities);
        recentStabilityScores = List.copyOf(recentStabilityScores);
        Objects.requireNonNull(regularizationStart, "regularizationStart");
        Objects.requireNonNull(lastDecision, "lastDecision");
        Objects.requireNonNull(pruneEvent, "pruneEvent");
        Objects.requireNonNull(adaptivePenalty, "adaptivePenalty");
        groupWidths.forEach((group, width) -> {
            if (width == null || width <= 0) {
                throw new IllegalArgumentException("Invalid width " + width + " for group '" + group + "': must be > 0");
            }
        });
        requireUnitInterval("similarity", recentSimilarities);
        requireUnitInterval("stability score", recentStabilityScores);
    }

    /** A state without ADAPTIVE penalty (REFERENCE rules), as before the adaptive rules existed. */
    public StabilityState(int nextEpoch, Map<String, Integer> groupWidths, List<RecordedMask> recentMasks,
                          List<Double> recentSimilarities, List<Double> recentStabilityScores,
                          OptionalInt regularizationStart, Optional<EpochDecision> lastDecision,
                          Optional<PruneEvent> pruneEvent) {
        this(nextEpoch, groupWidths, recentMasks, recentSimilarities, recentStabilityScores, regularizationStart,
                lastDecision, pruneEvent, Optional.empty());
    }

    /** The state of a run that has not stepped any epoch yet. */
    public static StabilityState initial(Map<String, Integer> groupWidths) {
        return new StabilityState(0, groupWidths, List.of(), List.of(), List.of(), OptionalInt.empty(),
                Optional.empty(), Optional.empty());
    }

    private static void requireUnitInterval(String what, List<Double> values) {
        for (double v : values) {
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException("Invalid " + what + " " + v + " in stability state: must be in [0, 1]");
            }
        }
    }
}
