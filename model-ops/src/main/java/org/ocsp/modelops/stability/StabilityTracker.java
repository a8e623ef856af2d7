package org.ocsp.modelops.stability;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * Mutable per-run working state of the stability-driven sub-network search: decides, at the start
 * of every epoch, whether to search, whether and how hard to penalise, and when to prune.
 *
 * <pre>{@code
 * StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     EpochDecision d = tracker.step(epoch, () -> search.subnetwork(model)); // weights after epoch-1
 *     train(epoch, d);
 *     if (d.pruneAtEndOfEpoch()) { model = surgery.prune(model, d.mask().get()); }
 * }
 * checkpoint(StabilityStateSerializer.toBytes(tracker.snapshot()));
 * }</pre>
 *
 * <h2>Semantics</h2>
 * {@link #step} is called once at the START of each epoch t = 0, 1, 2, ... in order, without gaps
 * (otherwise {@link IllegalStateException}). The candidate M_t is the sub-network computed from the
 * weights after epoch t-1.
 * <ul>
 *   <li><b>DENSE</b> (t &lt; monitorStart): the candidate supplier is not called, nothing is recorded.</li>
 *   <li><b>Monitoring</b> (t &gt;= monitorStart, before t*): M_t is recorded.
 *     s_t = average over groups of Jaccard(M_{t-lag}, M_t) if M_{t-lag} was recorded, else 0.
 *     J_avg(t) = (s_{t-window+1} + ... + s_t) / min(window, t + 1), where s_u = 0 for u &lt; monitorStart.
 *     So J_avg is the mean of the last {@code window} s values with early zeros included; while fewer
 *     than {@code window} epochs have passed (t + 1 &lt; window) it is the mean of the t + 1 values
 *     present, which is the reference's {@code running_average}. It differs from padding with zeros
 *     only when a non-zero s appears before epoch window - 1 (never with the defaults).</li>
 *   <li><b>Regularisation start</b> r: FIXED, the first monitoring epoch with t &gt; slStart + 1;
 *     AUTOMATIC, the first epoch t &gt; 3 with J_avg(t) - J_avg(t-2) &lt;= plateauEps, where both
 *     J_avg values must exist (t - 2 &gt;= monitorStart). Once active it stays active until t*.</li>
 *   <li><b>lambda</b> at epoch t &gt;= r: lambdaStart + floor((t - r) / lambdaInterval) * lambdaDelta,
 *     no upper cap. {@code lambdaChanged} is true at r and at every later interval boundary. (The
 *     reference adds the first delta already at r, with the interval counted from epoch 0.)</li>
 *   <li><b>t*</b>: the first monitoring epoch with J_avg(t) &gt;= tau (TAU_REACHED), else the epoch
 *     t == hardCap (HARD_CAP; TAU_REACHED wins if both hold). M_t is frozen: the caller trains epoch
 *     t (with the penalty, if active) and prunes with M_t at its end.</li>
 *   <li><b>PRUNED</b> (t &gt; t*): no masks, s or lambda; the supplier is not called.</li>
 * </ul>
 *
 * <h2>ADAPTIVE rules</h2>
 * With {@link StabilityRules#ADAPTIVE} the tracker is stepped with {@link #stepScored}: each
 * candidate comes with rho_t ({@link RemovalWeight}). s_t, J_avg and the masks are as above;
 * start, lambda and t* follow two scale-free quantities of M_t and M_{t-1}:
 * <ul>
 *   <li><b>churn_t</b> ({@link SelectionChurn}) = sum_g |K_{t-1,g} \ K_{t,g}| / sum_g (width_g - |K_{t,g}|),
 *     the share of the channels M_t removes that M_{t-1} kept; absent when M_{t-1} was not recorded.</li>
 *   <li><b>Start</b> r: the first monitoring epoch with churn_t &lt;= adaptiveStartChurn (reg-start,
 *     sl-start and plateau-eps are not used). rho_r is remembered.</li>
 *   <li><b>lambda</b>: lambda_r = adaptiveLambdaStart; for t &gt; r, planned(t) = rho_r (end / rho_r)^min(1,
 *     (t - r) / P) with end = adaptiveNegligibleRatio and P = max(2, ceil(adaptivePathShare * (horizon -
 *     r))), and lambda_t = lambda_{t-1} * min(adaptiveMaxRise, max(1, (rho_t / planned(t))^adaptiveGain)).
 *     It rises while the removed channels' weight lags the path and never falls. {@code lambdaChanged}
 *     is true at r and whenever the factor exceeds 1. (Why geometric: {@code AdaptiveRules}.)</li>
 *   <li><b>t*</b>: a regularised epoch whose selection is stable (churn_t &lt;= adaptiveStopChurn or
 *     J_avg(t) &gt;= tau) and whose removed channels are negligible (rho_t &lt;= adaptiveNegligibleRatio):
 *     STABLE_AND_NEGLIGIBLE; else the hard cap (HARD_CAP). J_avg alone is not t*: a penalty that
 *     freezes the selection makes J_avg reach 1 while the channels to remove still carry weight, and
 *     removing them then costs accuracy (bench/STUDY.md measured 2.8 points at rho 0.15).</li>
 * </ul>
 * The decision carries churn_t, rho_t and planned(t) ({@link EpochDecision#churn()} etc.); the start
 * rho and the latest lambda are state ({@link AdaptivePenalty}). The REFERENCE rules accept
 * {@link #stepScored} too and ignore rho; {@link #step} under ADAPTIVE rules fails in monitoring epochs.
 * A step that throws (bad epoch, bad mask) leaves the tracker unchanged.
 */
public final class StabilityTracker {
    private final StabilityConfig config;
    private final Map<String, Integer> groupWidths;
    private final ArrayDeque<RecordedMask> masks = new ArrayDeque<>();
    private final ArrayDeque<Double> similarities = new ArrayDeque<>();
    private final ArrayDeque<Double> stabilityScores = new ArrayDeque<>();
    private int nextEpoch;
    private OptionalInt regularizationStart = OptionalInt.empty();
    private Optional<EpochDecision> lastDecision = Optional.empty();
    private Optional<PruneEvent> pruneEvent = Optional.empty();
    private Optional<AdaptivePenalty> adaptivePenalty = Optional.empty();

    private StabilityTracker(StabilityConfig config, StabilityState state) {
        this.config = config;
        this.groupWidths = state.groupWidths();
        this.nextEpoch = state.nextEpoch();
        this.masks.addAll(state.recentMasks());
        this.similarities.addAll(state.recentSimilarities());
        this.stabilityScores.addAll(state.recentStabilityScores());
        this.regularizationStart = state.regularizationStart();
        this.lastDecision = state.lastDecision();
        this.pruneEvent = state.pruneEvent();
        this.adaptivePenalty = state.adaptivePenalty();
    }

    /** A fresh tracker with unweighted Jaccard averaging. */
    public static StabilityTracker start(StabilityConfig config) {
        return start(config, Map.of());
    }

    /**
     * A fresh tracker. {@code groupWidths} (original channel count per group id, in graph order) is
     * required for {@link JaccardAveraging#WEIGHTED}; when given, every candidate is checked against it.
     */
    public static StabilityTracker start(StabilityConfig config, Map<String, Integer> groupWidths) {
        return restore(config, StabilityState.initial(new LinkedHashMap<>(groupWidths)));
    }

    /**
     * Continues a run from a snapshot; later decisions equal those of the uninterrupted run.
     *
     * @throws IllegalArgumentException if the state does not fit the configuration (for example it
     *     was written with a different lag, window or monitorStart)
     */
    public static StabilityTracker restore(StabilityConfig config, StabilityState state) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(state, "state");
        StateConsistency.check(config, state);
        return new StabilityTracker(config, state);
    }

    /**
     * Decides epoch {@code epoch}. The supplier is called once, and only in monitoring epochs.
     *
     * @throws IllegalStateException if {@code epoch} is not the next expected epoch, or if it is a
     *     monitoring epoch under ADAPTIVE rules (they need rho: use {@link #stepScored})
     * @throws IllegalArgumentException if the candidate's groups do not match earlier masks or widths
     */
    public EpochDecision step(int epoch, Supplier<SubnetworkMask> candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return advance(epoch, () -> {
            if (config.stabilityRules() == StabilityRules.ADAPTIVE) {
                throw new IllegalStateException("Epoch " + epoch + " is a monitoring epoch under ADAPTIVE rules, which "
                        + "need the candidate's removal weight: call stepScored with a Candidate");
            }
            SubnetworkMask mask = candidate.get();
            if (mask == null) {
                throw new NullPointerException("Candidate supplier returned null for epoch " + epoch);
            }
            return new Scored(mask, OptionalDouble.empty());
        });
    }

    /**
     * Decides epoch {@code epoch} from a candidate with its removal weight (required by the ADAPTIVE
     * rules; the REFERENCE rules decide as {@link #step} does and ignore it). The supplier is called
     * once, and only in monitoring epochs.
     *
     * @throws IllegalStateException if {@code epoch} is not the next expected epoch
     * @throws IllegalArgumentException if the candidate's groups do not match earlier masks or widths
     */
    public EpochDecision stepScored(int epoch, Supplier<Candidate> candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return advance(epoch, () -> {
            Candidate c = candidate.get();
            if (c == null) {
                throw new NullPointerException("Candidate supplier returned null for epoch " + epoch);
            }
            return new Scored(c.mask(), config.stabilityRules() == StabilityRules.ADAPTIVE
                    ? OptionalDouble.of(c.removalWeightRatio()) : OptionalDouble.empty());
        });
    }

    /** A candidate as the rules read it: rho only under the ADAPTIVE rules. */
    private record Scored(SubnetworkMask mask, OptionalDouble removalWeight) {
    }

    private EpochDecision advance(int epoch, Supplier<Scored> candidate) {
        if (epoch != nextEpoch) {
            throw new IllegalStateException("Expected epoch " + nextEpoch + " but got epoch " + epoch
                    + ": epochs must be stepped once each, in order, without gaps");
        }
        EpochDecision decision;
        if (pruneEvent.isPresent()) {
            decision = EpochDecision.pruned(epoch);
        } else if (epoch < config.monitorStart()) {
            decision = EpochDecision.dense(epoch);
        } else {
            Scored c = candidate.get();
            decision = monitor(epoch, c.mask(), c.removalWeight());
        }
        nextEpoch = Math.addExact(epoch, 1);
        lastDecision = Optional.of(decision);
        return decision;
    }

    private EpochDecision monitor(int t, SubnetworkMask mask, OptionalDouble removalWeight) {
        checkCandidate(t, mask);
        Optional<SubnetworkMask> older = maskOfEpoch((long) t - config.lag());
        Map<String, Double> perGroup = older.isPresent() ? Jaccard.perGroup(older.get(), mask) : Map.of();
        double s = older.isPresent() ? Jaccard.average(perGroup, config.jaccardAveraging(), groupWidths) : 0.0;

        ArrayDeque<Double> window = new ArrayDeque<>(similarities);
        appendBounded(window, s, config.window());
        double sum = 0.0;
        for (double v : window) {
            sum += v;
        }
        // Epochs before monitorStart count as s = 0; before `window` epochs exist, divide by those present.
        double stability = sum / Math.min(config.window(), (long) t + 1);
        OptionalDouble twoEarlier = stabilityScores.size() == 2
                ? OptionalDouble.of(stabilityScores.peekFirst()) : OptionalDouble.empty();

        EpochDecision decision;
        Optional<AdaptivePenalty> penalty = Optional.empty();
        if (removalWeight.isEmpty()) {
            boolean startedNow = regularizationStart.isEmpty()
                    && RegularizationSchedule.startsAt(config, t, stability, twoEarlier);
            OptionalInt r = startedNow ? OptionalInt.of(t) : regularizationStart;
            boolean active = r.isPresent();
            OptionalDouble lambda = active
                    ? OptionalDouble.of(RegularizationSchedule.lambda(config, r.getAsInt(), t)) : OptionalDouble.empty();
            boolean lambdaChanged = active && RegularizationSchedule.lambdaChangesAt(config, r.getAsInt(), t);
            Optional<PruneReason> reason = pruneReason(t, stability);
            decision = new EpochDecision(t, active ? Phase.REGULARIZING : Phase.MONITORING,
                    Optional.of(mask), perGroup, OptionalDouble.of(s), OptionalDouble.of(stability), active, startedNow,
                    lambda, lambdaChanged, reason);
        } else {
            double rho = removalWeight.getAsDouble();
            Optional<SubnetworkMask> previous = maskOfEpoch((long) t - 1, masks.peekLast());
            OptionalDouble churn = previous.isPresent()
                    ? OptionalDouble.of(SelectionChurn.of(previous.get(), mask, groupWidths)) : OptionalDouble.empty();
            boolean startedNow = regularizationStart.isEmpty() && AdaptiveRules.startsAt(config, churn);
            OptionalInt r = startedNow ? OptionalInt.of(t) : regularizationStart;
            boolean active = r.isPresent();
            OptionalDouble planned = OptionalDouble.empty();
            OptionalDouble lambda = OptionalDouble.empty();
            boolean lambdaChanged = false;
            if (startedNow) {
                penalty = Optional.of(new AdaptivePenalty(rho, config.adaptiveLambdaStart()));
                planned = OptionalDouble.of(rho);
                lambdaChanged = true;
            } else if (active) {
                AdaptivePenalty before = adaptivePenalty.orElseThrow();
                double plan = AdaptiveRules.planned(config, r.getAsInt(), before.startRatio(), t);
                double next = AdaptiveRules.nextLambda(config, before.lambda(), rho, plan);
                penalty = Optional.of(new AdaptivePenalty(before.startRatio(), next));
                planned = OptionalDouble.of(plan);
                lambdaChanged = next != before.lambda();
            }
            if (penalty.isPresent()) {
                lambda = OptionalDouble.of(penalty.get().lambda());
            }
            Optional<PruneReason> reason = AdaptiveRules.stableAndNegligible(config, active, churn, stability, rho)
                    ? Optional.of(PruneReason.STABLE_AND_NEGLIGIBLE) : hardCapReason(t);
            decision = new EpochDecision(t, active ? Phase.REGULARIZING : Phase.MONITORING, Optional.of(mask), perGroup,
                    OptionalDouble.of(s), OptionalDouble.of(stability), active, startedNow, lambda, lambdaChanged, reason,
                    churn, removalWeight, planned);
        }

        // Commit only after everything above succeeded, so a failing step changes nothing.
        regularizationStart = decision.regularizationActive() ? OptionalInt.of(decision.regularizationStartedNow()
                ? t : regularizationStart.getAsInt()) : regularizationStart;
        Optional<PruneReason> reason = decision.pruneReason();
        if (reason.isPresent()) {
            pruneEvent = Optional.of(new PruneEvent(t, reason.get(), mask));
            masks.clear();
            similarities.clear();
            stabilityScores.clear();
            adaptivePenalty = Optional.empty();
        } else {
            adaptivePenalty = penalty;
            appendBounded(masks, new RecordedMask(t, mask), config.lag());
            similarities.clear();
            similarities.addAll(window);
            appendBounded(stabilityScores, stability, RegularizationSchedule.AUTOMATIC_PLATEAU_DISTANCE);
        }
        return decision;
    }

    private Optional<PruneReason> pruneReason(int t, double stability) {
        return stability >= config.tau() ? Optional.of(PruneReason.TAU_REACHED) : hardCapReason(t);
    }

    private Optional<PruneReason> hardCapReason(int t) {
        OptionalInt cap = config.hardCap();
        return cap.isPresent() && cap.getAsInt() == t ? Optional.of(PruneReason.HARD_CAP) : Optional.empty();
    }

    private Optional<SubnetworkMask> maskOfEpoch(long epoch) {
        return maskOfEpoch(epoch, masks.peekFirst());
    }

    // The deque holds the last `lag` masks, oldest first; lag >= 1, so its newest is M_{t-1} if recorded.
    private static Optional<SubnetworkMask> maskOfEpoch(long epoch, RecordedMask recorded) {
        return recorded != null && recorded.epoch() == epoch ? Optional.of(recorded.mask()) : Optional.empty();
    }

    private void checkCandidate(int t, SubnetworkMask mask) {
        if (mask == null) {
            throw new NullPointerException("Candidate supplier returned null for epoch " + t);
        }
        if (mask.groupIds().isEmpty()) {
            throw new IllegalArgumentException("Candidate mask for epoch " + t + " has no groups");
        }
        try {
            if (!masks.isEmpty()) {
                Jaccard.requireSameGroups(masks.peekLast().mask().groupIds(), mask.groupIds());
            }
            if (!groupWidths.isEmpty()) {
                Jaccard.requireSameGroups(groupWidths.keySet(), mask.groupIds());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Candidate mask for epoch " + t + " does not fit earlier masks or "
                    + "group widths: " + e.getMessage(), e);
        }
        groupWidths.forEach((group, width) -> {
            int[] kept = mask.kept(group);
            if (kept.length > 0 && kept[kept.length - 1] >= width) {
                throw new IllegalArgumentException("Candidate mask for epoch " + t + " keeps channel "
                        + kept[kept.length - 1] + " of group '" + group + "', which has only " + width + " channels");
            }
        });
    }

    private static <T> void appendBounded(ArrayDeque<T> deque, T value, int capacity) {
        deque.addLast(value);
        while (deque.size() > capacity) {
            deque.removeFirst();
        }
    }

    /** The epoch the next {@link #step} call must be for. */
    public int nextEpoch() {
        return nextEpoch;
    }

    /** The decision in force for epoch {@code nextEpoch() - 1}; survives snapshot and restore. */
    public Optional<EpochDecision> lastDecision() {
        return lastDecision;
    }

    /** t*, its reason and the frozen mask, once chosen. */
    public Optional<PruneEvent> pruneEvent() {
        return pruneEvent;
    }

    public StabilityConfig config() {
        return config;
    }

    /** An immutable copy of the working state, for checkpoints. */
    public StabilityState snapshot() {
        return new StabilityState(nextEpoch, groupWidths, masks.stream().toList(), similarities.stream().toList(),
                stabilityScores.stream().toList(), regularizationStart, lastDecision, pruneEvent, adaptivePenalty);
    }

    @Override
    public String toString() {
        return "StabilityTracker{nextEpoch=" + nextEpoch + ", regularizationStart=" + regularizationStart
                + ", pruneEvent=" + pruneEvent.map(e -> e.epoch() + "/" + e.reason()).orElse("none") + "}";
    }
}
