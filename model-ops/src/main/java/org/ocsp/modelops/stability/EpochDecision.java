package org.ocsp.modelops.stability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * What the trainer must do in one epoch, as returned by {@link StabilityTracker#step}.
 *
 * <pre>{@code
 * EpochDecision d = tracker.step(epoch, () -> search.subnetwork(weights));
 * if (d.regularizationActive()) { shrinker.use(d.mask().get(), d.lambda().getAsDouble()); }
 * train(epoch);
 * if (d.pruneAtEndOfEpoch()) { model = surgery.prune(model, d.mask().get()); }
 * }</pre>
 *
 * @param epoch the epoch t this decision is for
 * @param phase DENSE, MONITORING, REGULARIZING or PRUNED
 * @param mask M_t, present in MONITORING and REGULARIZING epochs only
 * @param groupJaccard per-group Jaccard(M_{t-lag}, M_t) in group order; empty while no M_{t-lag} exists
 * @param similarity s_t; present in MONITORING and REGULARIZING epochs (0 while no M_{t-lag} exists)
 * @param stability J_avg(t); present in MONITORING and REGULARIZING epochs
 * @param regularizationActive whether the penalty is applied during this epoch (phase REGULARIZING)
 * @param regularizationStartedNow whether this is the first regularised epoch
 * @param lambda penalty strength for this epoch; present exactly when regularization is active
 * @param lambdaChanged whether lambda differs from the previous epoch (true on the first regularised epoch)
 * @param pruneReason present when this epoch is t*: train it, then prune with {@code mask} at its end
 * @param churn ADAPTIVE only: churn_t, the share of the channels M_t removes that M_{t-1} kept; present in
 *     monitoring epochs whose M_{t-1} was recorded
 * @param removalWeightRatio ADAPTIVE only: rho_t, mean score of the channels M_t removes / mean score of
 *     those it keeps ({@link RemovalWeight}); present in every ADAPTIVE monitoring epoch
 * @param plannedRatio ADAPTIVE only: the planned path's rho for this epoch; present exactly in
 *     ADAPTIVE regularised epochs
 */
public record EpochDecision(
        int epoch,
        Phase phase,
        Optional<SubnetworkMask> mask,
        Map<String, Double> groupJaccard,
        OptionalDouble similarity,
        OptionalDouble stability,
        boolean regularizationActive,
        boolean regularizationStartedNow,
        OptionalDouble lambda,
        boolean lambdaChanged,
        Optional<PruneReason> pruneReason,
        OptionalDouble churn,
        OptionalDouble removalWeightRatio,
        OptionalDouble plannedRatio) {

    /** Checks that the fields describe one consistent decision (this also guards deserialised state). */
    public EpochDecision {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(groupJaccard, "groupJaccard");
        Objects.requireNonNull(similarity, "similarity");
        Objects.requireNonNull(stability, "stability");
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(pruneReason, "pruneReason");
        Objects.requireNonNull(churn, "churn");
        Objects.requireNonNull(removalWeightRatio, "removalWeightRatio");
        Objects.requireNonNull(plannedRatio, "plannedRatio");
        groupJaccard = Collections.unmodifiableMap(new LinkedHashMap<>(groupJaccard));
        String where = "Inconsistent decision for epoch " + epoch + ": ";
        require(epoch >= 0, where + "epoch must be >= 0");
        boolean searching = phase == Phase.MONITORING || phase == Phase.REGULARIZING;
        require(mask.isPresent() == searching, where + "a mask is present exactly in MONITORING and REGULARIZING");
        require(similarity.isPresent() == searching && stability.isPresent() == searching,
                where + "s_t and J_avg are present exactly in MONITORING and REGULARIZING");
        require(searching || groupJaccard.isEmpty(), where + "per-group Jaccard needs a mask");
        require(regularizationActive == (phase == Phase.REGULARIZING), where + "regularization is active exactly in REGULARIZING");
        require(lambda.isPresent() == regularizationActive, where + "lambda is present exactly when regularization is active");
        require(regularizationActive || !(regularizationStartedNow || lambdaChanged),
                where + "regularization cannot start or change lambda while inactive");
        require(searching || pruneReason.isEmpty(), where + "only a MONITORING or REGULARIZING epoch can be t*");
        require(searching || removalWeightRatio.isEmpty(), where + "the removal weight needs a mask");
        require(removalWeightRatio.isPresent() || (churn.isEmpty() && plannedRatio.isEmpty()),
                where + "churn and the planned removal weight are ADAPTIVE quantities, which come with the removal weight");
        require(plannedRatio.isEmpty() || regularizationActive, where + "a planned removal weight needs regularization");
        require(pruneReason.filter(r -> r == PruneReason.STABLE_AND_NEGLIGIBLE).isEmpty()
                        || (regularizationActive && churn.isPresent()),
                where + "STABLE_AND_NEGLIGIBLE needs a regularised epoch with a churn");
        churn.ifPresent(c -> require(c >= 0 && c <= 1, where + "churn " + c + " must be in [0, 1]"));
        removalWeightRatio.ifPresent(r -> require(r >= 0, where + "removal weight " + r + " must be >= 0"));
        plannedRatio.ifPresent(r -> require(r >= 0, where + "planned removal weight " + r + " must be >= 0"));
    }

    /** A decision without the ADAPTIVE quantities (REFERENCE rules), as before they existed. */
    public EpochDecision(int epoch, Phase phase, Optional<SubnetworkMask> mask, Map<String, Double> groupJaccard,
                         OptionalDouble similarity, OptionalDouble stability, boolean regularizationActive,
                         boolean regularizationStartedNow, OptionalDouble lambda, boolean lambdaChanged,
                         Optional<PruneReason> pruneReason) {
        this(epoch, phase, mask, groupJaccard, similarity, stability, regularizationActive, regularizationStartedNow,
                lambda, lambdaChanged, pruneReason, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** A plain dense-training epoch before monitoring starts. */
    public static EpochDecision dense(int epoch) {
        return inactive(epoch, Phase.DENSE);
    }

    /** A fine-tuning epoch after t*. */
    public static EpochDecision pruned(int epoch) {
        return inactive(epoch, Phase.PRUNED);
    }

    /** Whether this epoch is t*: prune with {@link #mask()} after training it. */
    public boolean pruneAtEndOfEpoch() {
        return pruneReason.isPresent();
    }

    private static EpochDecision inactive(int epoch, Phase phase) {
        return new EpochDecision(epoch, phase, Optional.empty(), Map.of(), OptionalDouble.empty(),
                OptionalDouble.empty(), false, false, OptionalDouble.empty(), false, Optional.empty());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
