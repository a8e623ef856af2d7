package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.stability.Candidate;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.stability.RemovalWeight;
import org.ocsp.modelops.stability.StabilityRules;
import org.ocsp.modelops.stability.StabilityTracker;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * "What if the run had used other settings?" from the log alone: the selection and the stability
 * rules run again over the logged scores with the changed settings, epoch by epoch, next to the
 * decisions the log holds. It is a counterfactual: the scores of epoch t come from weights that
 * the logged run's penalty and pruning shaped. An epoch is EXACT while every earlier decision
 * that acts on training (the regularisation, lambda, the penalised mask, t*) is the same under
 * both settings, and APPROXIMATE after the first that differs. It ends where the log has no
 * scores (before the logged monitoring start, after the logged t*).
 *
 * <pre>{@code
 * Counterfactual w = Counterfactual.of(log, Map.of(StabilitySettings.TAU, "0.99", RunConfigDef.TARGET, "0.4"));
 * System.out.print(w.describe());
 * }</pre>
 */
public final class Counterfactual {
    /** One epoch under the changed settings, with the logged decision beside it. */
    public record Row(int epoch, boolean exact, String loggedPhase, String phase, Optional<Double> similarity,
                      Optional<Double> stability, Optional<Double> lambda, Optional<Double> reduction,
                      int channelsDifferent, boolean tStar) {
    }

    private final String runId;
    private final Map<Setting<?>, String> changes;
    private final List<Row> rows;
    private final OptionalInt loggedTStar;
    private final OptionalInt tStar;
    private final Optional<SubnetworkMask> finalMask;
    private final String end;
    private final String loggedReason;
    private final String reason;

    private Counterfactual(String runId, Map<Setting<?>, String> changes, List<Row> rows, OptionalInt loggedTStar,
                           String loggedReason, OptionalInt tStar, String reason, Optional<SubnetworkMask> finalMask,
                           String end) {
        this.loggedReason = loggedReason;
        this.reason = reason;
        this.runId = runId;
        this.changes = changes;
        this.rows = List.copyOf(rows);
        this.loggedTStar = loggedTStar;
        this.tStar = tStar;
        this.finalMask = finalMask;
        this.end = end;
    }

    /**
     * @param changes run settings (by declaration) and their new values as text
     * @throws org.ocsp.modelops.config.InvalidRunConfigException if a changed value is invalid
     */
    public static Counterfactual of(RunLog log, Map<Setting<?>, String> changes) {
        RunSpec logged = log.runStarted().getSpec();
        RunConfig.Builder b = RunSpecs.config(logged).toBuilder();
        changes.forEach(b::setText);
        RunSpecView was = RunSpecView.of(logged);
        RunSpecView what = RunSpecView.of(RunSpecs.toSpec(b.build(), logged.getDatasetName()));
        List<ChannelGroup> groups = was.groups();
        SubnetworkSelector selector = what.selection().selector(what.graph(), groups, g -> CostModel.of(g).flops());
        double target = what.selection().targetReduction();
        StabilityTracker replayed = StabilityTracker.start(was.stabilityConfig(), ChannelGroups.widths(groups));
        StabilityTracker tracker = StabilityTracker.start(what.stabilityConfig(), ChannelGroups.widths(groups));
        List<Row> rows = new ArrayList<>();
        boolean exact = true;
        OptionalInt loggedTStar = OptionalInt.empty();
        String loggedReason = "";
        String end = "the log ends";
        int epochs = log.all(RecordType.EPOCH_COMPLETED, org.ocsp.schemas.avro.event.EpochCompleted.class).size();
        for (int t = 0; t < epochs; t++) {
            Optional<MaskSnapshot> snapshot = log.at(RecordType.MASK_SNAPSHOT, MaskSnapshot.class, t);
            EpochDecision before = loggedTStar.isPresent() ? EpochDecision.pruned(t) : replayed.stepScored(t, () -> {
                SubnetworkMask loggedMask = RunSpecView.mask(snapshot.orElseThrow().getGroups());
                return candidate(was, loggedMask, () -> SelectionRecords.scores(snapshot.get().getSelection()));
            });
            if (before.pruneAtEndOfEpoch()) {
                loggedTStar = OptionalInt.of(t);
                loggedReason = before.pruneReason().orElseThrow().name();
            }
            Selection[] chosen = new Selection[1];
            EpochDecision d;
            try {
                d = tracker.stepScored(t, () -> {
                    if (snapshot.isEmpty() || snapshot.get().getSelection() == null) {
                        throw new NoScores();
                    }
                    GroupScores scores = SelectionRecords.scores(snapshot.get().getSelection());
                    chosen[0] = selector.select(scores, target);
                    return candidate(what, chosen[0].mask(), () -> scores);
                });
            } catch (NoScores e) {
                end = "epoch " + t + " needs a selection, and the log holds no scores for it ("
                        + (snapshot.isEmpty() ? "the logged run selected no mask then" : "logged before scores were") + ")";
                break;
            }
            int different = chosen[0] == null || before.mask().isEmpty() ? 0
                    : MaskDiff.count(groups, before.mask().get(), chosen[0].mask());
            rows.add(new Row(t, exact, before.phase().name(), d.phase().name(), boxed(d.similarity()), boxed(d.stability()),
                    boxed(d.lambda()), chosen[0] == null ? Optional.empty() : Optional.of(chosen[0].reduction()), different,
                    d.pruneAtEndOfEpoch()));
            exact &= sameTraining(before, d);
            if (d.pruneAtEndOfEpoch()) {
                return new Counterfactual(log.runId(), changes, rows, loggedTStar, loggedReason, OptionalInt.of(t),
                        d.pruneReason().orElseThrow().name(), d.mask(), "");
            }
        }
        return new Counterfactual(log.runId(), changes, rows, loggedTStar, loggedReason, OptionalInt.empty(), "",
                Optional.empty(), end);
    }

    /** The removal weight only where the rules read it: the REFERENCE rules need no scores. */
    private static Candidate candidate(RunSpecView view, SubnetworkMask mask, java.util.function.Supplier<GroupScores> scores) {
        boolean adaptive = view.stabilityConfig().stabilityRules() == StabilityRules.ADAPTIVE;
        return new Candidate(mask, adaptive ? RemovalWeight.ratio(mask, scores.get()) : 0);
    }

    /** Thrown inside the tracker's mask supplier when the log holds no scores for the epoch. */
    private static final class NoScores extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoScores() {
            super(null, null, false, false);
        }
    }

    /** Whether two decisions act the same on the next epoch's training. */
    private static boolean sameTraining(EpochDecision a, EpochDecision b) {
        boolean prunedA = a.phase() == org.ocsp.modelops.stability.Phase.PRUNED;
        boolean prunedB = b.phase() == org.ocsp.modelops.stability.Phase.PRUNED;
        if (a.regularizationActive() != b.regularizationActive() || a.pruneAtEndOfEpoch() != b.pruneAtEndOfEpoch()
                || prunedA != prunedB || !a.lambda().equals(b.lambda())) {
            return false;
        }
        return !(a.regularizationActive() || a.pruneAtEndOfEpoch()) || a.mask().equals(b.mask());
    }

    private static Optional<Double> boxed(java.util.OptionalDouble d) {
        return d.isPresent() ? Optional.of(d.getAsDouble()) : Optional.empty();
    }

    public List<Row> rows() {
        return rows;
    }

    public OptionalInt tStar() {
        return tStar;
    }

    public OptionalInt loggedTStar() {
        return loggedTStar;
    }

    public Optional<SubnetworkMask> finalMask() {
        return finalMask;
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        List<String> changed = new ArrayList<>();
        changes.forEach((s, v) -> changed.add(s.name() + "=" + v));
        sb.append("COUNTERFACTUAL for run '").append(runId).append("' with ").append(String.join(", ", changed))
                .append(": the logged scores under other settings, not a training run\n");
        sb.append(String.format(Locale.ROOT, "  %5s  %-11s  %-13s  %-13s  %8s  %8s  %9s  %9s  %10s%n", "epoch", "", "logged",
                "what-if", "s_t", "J_avg", "lambda", "reduction", "vs logged"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "  %5d  %-11s  %-13s  %-13s  %8s  %8s  %9s  %9s  %10s%n", r.epoch(),
                    r.exact() ? "exact" : "approximate", r.loggedPhase(), r.phase() + (r.tStar() ? "*" : ""),
                    fmt(r.similarity(), "%.4f"), fmt(r.stability(), "%.4f"), fmt(r.lambda(), "%.3g"),
                    fmt(r.reduction(), "%.4f"), r.reduction().isPresent() ? r.channelsDifferent() + " ch" : ""));
        }
        sb.append("  logged t*: ").append(loggedTStar.isPresent() ? loggedTStar.getAsInt() + " (" + loggedReason + ")" : "none")
                .append("; what-if t*: ").append(tStar.isPresent() ? tStar.getAsInt() + " (" + reason + ", "
                        + (rows.get(rows.size() - 1).exact() ? "exact)" : "approximate)") : "not reached: " + end).append('\n');
        finalMask.ifPresent(m -> {
            List<String> widths = new ArrayList<>();
            m.groupIds().forEach(g -> widths.add(g + "=" + m.keptCount(g)));
            sb.append("  what-if final widths: ").append(String.join(" ", widths)).append('\n');
        });
        sb.append("  exact: every earlier decision that acts on training (regularisation, lambda, penalised mask, t*) is the"
                + " logged one, so the logged scores are the ones this run would have seen; approximate: after the first"
                + " such difference, training would have differed and so would the scores\n");
        return sb.toString();
    }

    private static String fmt(Optional<Double> v, String pattern) {
        return v.map(x -> String.format(Locale.ROOT, pattern, x)).orElse("-");
    }
}
