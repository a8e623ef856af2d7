package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.modelops.stability.Candidate;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.stability.RemovalWeight;
import org.ocsp.modelops.stability.StabilityRules;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.stability.StabilityTracker;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.AdaptiveSignal;
import org.ocsp.schemas.avro.event.GroupJaccard;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.PruningReason;
import org.ocsp.schemas.avro.event.RegularizationStarted;

/**
 * Recomputes every stability decision of a run by feeding the logged masks M_t into a fresh
 * model-ops {@link StabilityTracker} built from the run's logged spec, and compares each logged
 * value with the recomputed one: per-group Jaccard, s_t, J_avg, the epoch compared with, the
 * regularisation start, every lambda change, t* and its reason and mask. Under the ADAPTIVE rules
 * the removal weight of every M_t is recomputed from the scores logged with it, and churn, rho and
 * the planned path are compared too: every adaptive quantity is re-checked, none is trusted.
 */
final class StabilityReplay {
    private final RunLog log;
    private final RunSpecView view;
    private final Checks checks;

    private StabilityReplay(RunLog log, RunSpecView view, Checks checks) {
        this.log = log;
        this.view = view;
        this.checks = checks;
    }

    /** The decisions recomputed up to the first epoch that could not be replayed. */
    static List<EpochDecision> run(RunLog log, RunSpecView view, Checks checks) {
        return new StabilityReplay(log, view, checks).replay();
    }

    private List<EpochDecision> replay() {
        StabilityConfig config;
        try {
            config = view.stabilityConfig();
        } catch (IllegalArgumentException e) {
            checks.add(Mismatch.ofRun("RunStarted.spec.stability", e.getMessage()));
            return List.of();
        }
        int epochs = 0;
        for (LoggedEvent e : log.ordered()) {
            if (e.type() != RecordType.RUN_STARTED && e.type() != RecordType.MODEL_PUBLISHED
                    && e.type() != RecordType.RUN_FAILED && e.type() != RecordType.RUN_REJECTED) {
                epochs = Math.max(epochs, e.epoch() + 1);
            }
        }
        StabilityTracker tracker = StabilityTracker.start(config, ChannelGroups.widths(view.groups()));
        List<EpochDecision> decisions = new ArrayList<>();
        double previousLambda = 0;
        for (int t = 0; t < epochs; t++) {
            Optional<LoggedEvent> snapshot = find(RecordType.MASK_SNAPSHOT, t);
            Optional<SubnetworkMask> mask = Optional.empty();
            if (snapshot.isPresent()) {
                MaskSnapshot m = snapshot.get().as(MaskSnapshot.class);
                if (MaskCheck.check(snapshot.get(), "MaskSnapshot.groups", m.getGroups(), view, checks)) {
                    mask = Optional.of(RunSpecView.mask(m.getGroups()));
                }
            }
            boolean[] asked = {false};
            Optional<SubnetworkMask> candidate = mask;
            Optional<MaskSnapshot> logged = snapshot.map(s -> s.as(MaskSnapshot.class));
            EpochDecision d;
            try {
                d = tracker.stepScored(t, () -> {
                    asked[0] = true;
                    SubnetworkMask mt = candidate.orElseThrow(() -> new IllegalStateException("no usable mask"));
                    return new Candidate(mt, adaptive(config) ? removalWeight(mt, logged.orElseThrow()) : 0);
                });
            } catch (IllegalStateException | IllegalArgumentException e) {
                int epoch = t;
                if (snapshot.isEmpty()) {
                    checks.add(Mismatch.atEpoch(epoch, "MaskSnapshot", "missing: epoch " + epoch
                            + " is a monitoring epoch (monitorStart " + config.monitorStart() + ", no t* before it), so its "
                            + "decision needs the sub-network M_" + epoch));
                } else if (mask.isPresent()) {
                    checks.add(Mismatch.of(snapshot.get(), "MaskSnapshot.groups", e.getMessage()));
                }
                checks.note("decisions from epoch " + epoch + " on were not recomputed: the replay needs M_" + epoch);
                return decisions;
            }
            decisions.add(d);
            int epoch = t;
            if (snapshot.isPresent()) {
                checks.check(asked[0], () -> Mismatch.of(snapshot.get(), "MaskSnapshot", "logged, but epoch " + epoch
                        + " is a " + d.phase() + " epoch in the recomputed run: no sub-network is computed for it"));
            }
            if (asked[0] && snapshot.isPresent()) {
                compareSnapshot(snapshot.get(), d, config);
            }
            compareRegularization(t, d);
            previousLambda = comparePenalty(t, d, previousLambda);
            comparePruning(t, d, config);
        }
        return decisions;
    }

    private static boolean adaptive(StabilityConfig config) {
        return config.stabilityRules() == StabilityRules.ADAPTIVE;
    }

    /** rho_t recomputed from the kept channels and the scores the snapshot logged with them. */
    private static double removalWeight(SubnetworkMask mask, MaskSnapshot m) {
        if (m.getSelection() == null) {
            throw new IllegalStateException("no selection scores logged: the ADAPTIVE rules decide from the removal "
                    + "weight of M_t, which needs them");
        }
        return RemovalWeight.ratio(mask, SelectionRecords.scores(m.getSelection()));
    }

    private void compareSnapshot(LoggedEvent e, EpochDecision d, StabilityConfig config) {
        MaskSnapshot m = e.as(MaskSnapshot.class);
        compareAdaptiveSignal(e, m.getAdaptive(), d, config);
        Integer compared = d.groupJaccard().isEmpty() ? null : d.epoch() - config.lag();
        checks.check(java.util.Objects.equals(m.getComparedWithEpoch(), compared), () -> Mismatch.of(e,
                "MaskSnapshot.comparedWithEpoch", Checks.loggedVsRecomputed(m.getComparedWithEpoch(), compared)));
        List<String> loggedIds = m.getGroupJaccard().stream().map(g -> String.valueOf(g.getGroupId())).toList();
        List<String> ids = List.copyOf(d.groupJaccard().keySet());
        if (checks.check(loggedIds.equals(ids), () -> Mismatch.of(e, "MaskSnapshot.groupJaccard",
                "groups " + loggedIds + ", recomputed for groups " + ids))) {
            for (GroupJaccard g : m.getGroupJaccard()) {
                double recomputed = d.groupJaccard().get(String.valueOf(g.getGroupId()));
                checks.check(Checks.same(g.getJaccard(), recomputed), () -> Mismatch.of(e,
                        "MaskSnapshot.groupJaccard[" + g.getGroupId() + "]", Checks.loggedVsRecomputed(g.getJaccard(), recomputed)
                                + " (Jaccard of the kept channels of M_" + compared + " and M_" + d.epoch() + ")"));
            }
        }
        double s = d.similarity().orElseThrow();
        checks.check(Checks.same(m.getSimilarity(), s), () -> Mismatch.of(e, "MaskSnapshot.similarity",
                Checks.loggedVsRecomputed(m.getSimilarity(), s) + " (s_t, mean of the per-group Jaccard)"));
        double j = d.stability().orElseThrow();
        checks.check(Checks.same(m.getStabilityScore(), j), () -> Mismatch.of(e, "MaskSnapshot.stabilityScore",
                Checks.loggedVsRecomputed(m.getStabilityScore(), j) + " (J_avg, mean of the last " + config.window() + " s_t)"));
    }

    private void compareAdaptiveSignal(LoggedEvent e, AdaptiveSignal a, EpochDecision d, StabilityConfig config) {
        if (!adaptive(config)) {
            checks.check(a == null, () -> Mismatch.of(e, "MaskSnapshot.adaptive", "logged, but the run's spec has the "
                    + "reference's rules (no adaptive settings)"));
            return;
        }
        if (!checks.check(a != null, () -> Mismatch.of(e, "MaskSnapshot.adaptive", "missing: the run's spec has the "
                + "ADAPTIVE rules, which decide every monitored epoch from churn and removal weight"))) {
            return;
        }
        Double churn = d.churn().isPresent() ? d.churn().getAsDouble() : null;
        checks.check(sameOrBothNull(a.getChurn(), churn), () -> Mismatch.of(e, "MaskSnapshot.adaptive.churn",
                Checks.loggedVsRecomputed(a.getChurn(), churn) + " (share of the channels M_" + d.epoch()
                        + " removes that M_" + (d.epoch() - 1) + " kept)"));
        double rho = d.removalWeightRatio().getAsDouble();
        checks.check(Checks.same(a.getRemovalWeightRatio(), rho), () -> Mismatch.of(e,
                "MaskSnapshot.adaptive.removalWeightRatio", Checks.loggedVsRecomputed(a.getRemovalWeightRatio(), rho)
                        + " (mean logged score of the removed channels / of the kept ones)"));
        Double planned = d.plannedRatio().isPresent() ? d.plannedRatio().getAsDouble() : null;
        checks.check(sameOrBothNull(a.getPlannedRatio(), planned), () -> Mismatch.of(e,
                "MaskSnapshot.adaptive.plannedRatio", Checks.loggedVsRecomputed(a.getPlannedRatio(), planned)
                        + " (the geometric path from the start's removal weight to adaptiveNegligibleRatio "
                        + config.adaptiveNegligibleRatio() + ")"));
    }

    private static boolean sameOrBothNull(Double logged, Double recomputed) {
        return logged == null || recomputed == null ? logged == recomputed : Checks.same(logged, recomputed);
    }

    private void compareRegularization(int t, EpochDecision d) {
        Optional<LoggedEvent> logged = find(RecordType.REGULARIZATION_STARTED, t);
        if (!checks.check(logged.isPresent() == d.regularizationStartedNow(), () -> logged.isPresent()
                ? Mismatch.of(logged.get(), "RegularizationStarted", "logged for epoch " + t + ", but the recomputed run "
                + (d.regularizationActive() ? "started regularisation earlier" : "does not regularise epoch " + t)
                + " (" + ruleOf(d) + ")")
                : Mismatch.atEpoch(t, "RegularizationStarted", "missing: the recomputed run starts regularisation at epoch "
                + t + " (" + ruleOf(d) + ")"))) {
            return;
        }
        if (logged.isPresent()) {
            RegularizationStarted r = logged.get().as(RegularizationStarted.class);
            Object mode = view.spec().getStability().getRegularizationStart();
            checks.check(r.getMode().equals(mode), () -> Mismatch.of(logged.get(), "RegularizationStarted.mode",
                    Checks.loggedVsRecomputed(r.getMode(), mode + " (the run's spec)")));
            double j = d.stability().orElseThrow();
            checks.check(Checks.same(r.getStabilityScore(), j), () -> Mismatch.of(logged.get(),
                    "RegularizationStarted.stabilityScore", Checks.loggedVsRecomputed(r.getStabilityScore(), j)));
        }
    }

    private String ruleOf(EpochDecision d) {
        var s = view.spec().getStability();
        if (s.getAdaptive() != null) {
            return "ADAPTIVE rules: churn(" + d.epoch() + ") = " + (d.churn().isPresent() ? d.churn().getAsDouble() : "none")
                    + ", adaptiveStartChurn " + s.getAdaptive().getStartChurn();
        }
        String jAvg = d.stability().isPresent() ? "J_avg(" + d.epoch() + ") = " + d.stability().getAsDouble() + ", " : "";
        return jAvg + "mode " + s.getRegularizationStart() + (s.getSlStart() != null ? ", slStart " + s.getSlStart() : "")
                + ", plateauEps " + s.getPlateauEps();
    }

    private double comparePenalty(int t, EpochDecision d, double previous) {
        Optional<LoggedEvent> logged = find(RecordType.PENALTY_CHANGED, t);
        double lambda = d.lambda().orElse(0);
        if (checks.check(logged.isPresent() == d.lambdaChanged(), () -> logged.isPresent()
                ? Mismatch.of(logged.get(), "PenaltyChanged", "logged for epoch " + t + ", but the recomputed lambda "
                + (d.regularizationActive() ? "stays " + lambda : "is not in force (phase " + d.phase() + ")"))
                : Mismatch.atEpoch(t, "PenaltyChanged", "missing: the recomputed lambda changes from " + previous + " to "
                + lambda + " at epoch " + t)) && logged.isPresent()) {
            PenaltyChanged p = logged.get().as(PenaltyChanged.class);
            checks.check(Checks.same(p.getLambdaNew(), lambda), () -> Mismatch.of(logged.get(), "PenaltyChanged.lambdaNew",
                    Checks.loggedVsRecomputed(p.getLambdaNew(), lambda) + " (" + lambdaRule() + ")"));
            checks.check(Checks.same(p.getLambdaOld(), previous), () -> Mismatch.of(logged.get(), "PenaltyChanged.lambdaOld",
                    Checks.loggedVsRecomputed(p.getLambdaOld(), previous)));
        }
        return lambda;
    }

    private String lambdaRule() {
        var s = view.spec().getStability();
        return s.getAdaptive() != null ? "ADAPTIVE: previous lambda * min(adaptiveMaxRise " + s.getAdaptive().getMaxRise()
                + ", max(1, (rho / planned) ^ adaptiveGain " + s.getAdaptive().getGain() + "))"
                : "lambdaStart + k * lambdaDelta every " + s.getLambdaInterval() + " epochs";
    }

    private void comparePruning(int t, EpochDecision d, StabilityConfig config) {
        Optional<LoggedEvent> logged = find(RecordType.PRUNING_EVENT, t);
        String cap = ", hard cap " + (config.hardCap().isPresent() ? config.hardCap().getAsInt() : "none");
        String rule = d.stability().isEmpty() ? "phase " + d.phase() : adaptive(config)
                ? "J_avg(" + t + ") = " + d.stability().getAsDouble() + ", churn " + (d.churn().isPresent()
                        ? d.churn().getAsDouble() : "none") + ", rho " + d.removalWeightRatio().getAsDouble()
                        + "; stable needs churn <= " + config.adaptiveStopChurn() + " or J_avg >= tau " + config.tau()
                        + ", negligible needs rho <= " + config.adaptiveNegligibleRatio() + cap
                : "J_avg(" + t + ") = " + d.stability().getAsDouble() + ", tau " + config.tau() + cap;
        if (!checks.check(logged.isPresent() == d.pruneAtEndOfEpoch(), () -> logged.isPresent()
                ? Mismatch.of(logged.get(), "PruningEvent", "logged with t* = " + t + ", but the recomputed run does not "
                + "prune at epoch " + t + " (" + rule + ")")
                : Mismatch.atEpoch(t, "PruningEvent", "missing: the recomputed run prunes at the end of epoch " + t + " ("
                + d.pruneReason().get() + ", " + rule + ")")) || logged.isEmpty()) {
            return;
        }
        LoggedEvent e = logged.get();
        PruningEvent p = e.as(PruningEvent.class);
        checks.check(p.getTStar() == t, () -> Mismatch.of(e, "PruningEvent.tStar", Checks.loggedVsRecomputed(p.getTStar(), t)));
        PruningReason reason = PruningReason.valueOf(d.pruneReason().get().name());
        checks.check(p.getReason() == reason, () -> Mismatch.of(e, "PruningEvent.reason",
                Checks.loggedVsRecomputed(p.getReason(), reason + " (" + rule + ")")));
        double j = d.stability().orElseThrow();
        checks.check(Checks.same(p.getStabilityScore(), j), () -> Mismatch.of(e, "PruningEvent.stabilityScore",
                Checks.loggedVsRecomputed(p.getStabilityScore(), j)));
        if (MaskCheck.check(e, "PruningEvent.finalMask", p.getFinalMask(), view, checks)) {
            SubnetworkMask finalMask = RunSpecView.mask(p.getFinalMask());
            SubnetworkMask decided = d.mask().orElseThrow();
            checks.check(finalMask.equals(decided), () -> Mismatch.of(e, "PruningEvent.finalMask",
                    "differs from M_" + t + " of MaskSnapshot(epoch " + t + ") in groups " + differingGroups(finalMask, decided)
                            + "; t* prunes with the mask of its own epoch"));
        }
    }

    private static List<String> differingGroups(SubnetworkMask a, SubnetworkMask b) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, int[]> g : a.asMap().entrySet()) {
            if (!b.groupIds().contains(g.getKey()) || !java.util.Arrays.equals(g.getValue(), b.kept(g.getKey()))) {
                out.add(g.getKey());
            }
        }
        return out;
    }

    private Optional<LoggedEvent> find(RecordType type, int epoch) {
        return log.ordered().stream().filter(e -> e.type() == type && e.epoch() == epoch).findFirst();
    }
}
