package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * A run's story per epoch, read from its log as logged (nothing recomputed: that is
 * {@link DecisionVerifier}'s job): phase, s_t, J_avg, lambda in force, losses and accuracies,
 * FLOPs, the kept channels per group, and the pruning event.
 *
 * <pre>{@code
 * RunTimeline tl = RunTimeline.of(log);
 * tl.rows().forEach(r -> System.out.println(r.epoch() + " " + r.phase()));
 * tl.tStar();  tl.regularizationStart();
 * }</pre>
 */
public final class RunTimeline {
    /** Phases as the trainer saw them (same names as model-ops' Phase). */
    public static final String DENSE = "DENSE";
    public static final String MONITORING = "MONITORING";
    public static final String REGULARIZING = "REGULARIZING";
    public static final String PRUNED = "PRUNED";

    /** One epoch. Empty values were not logged (e.g. no s_t before monitoring). */
    public record Row(int epoch, String phase, OptionalDouble similarity, OptionalDouble stability, OptionalDouble lambda,
                      OptionalDouble trainLoss, OptionalDouble testLoss, OptionalDouble trainAccuracy,
                      OptionalDouble testAccuracy, OptionalDouble learningRate, OptionalLong flops, OptionalLong params,
                      Map<String, Integer> keptPerGroup, List<String> marks) {
    }

    /** The pruning event: t*, why, and the widths of every group before and after. */
    public record Pruning(int tStar, String reason, double stabilityScore, List<GroupChannelCount> channelCounts,
                          long flopsBefore, long flopsAfter, long paramsBefore, long paramsAfter) {
    }

    private final String runId;
    private final RunSpec spec;
    private final List<Row> rows;
    private final OptionalInt regularizationStart;
    private final Optional<Pruning> pruning;
    private final Map<String, Integer> originalWidths;
    private final Optional<ModelPublished> published;

    private RunTimeline(String runId, RunSpec spec, List<Row> rows, OptionalInt regularizationStart,
                        Optional<Pruning> pruning, Map<String, Integer> originalWidths, Optional<ModelPublished> published) {
        this.runId = runId;
        this.spec = spec;
        this.rows = List.copyOf(rows);
        this.regularizationStart = regularizationStart;
        this.pruning = pruning;
        this.originalWidths = originalWidths;
        this.published = published;
    }

    /** @throws NoSuchRunException if the log has no RunStarted */
    public static RunTimeline of(RunLog log) {
        RunSpec spec = log.runStarted().getSpec();
        Optional<PruningEvent> pe = log.first(RecordType.PRUNING_EVENT, PruningEvent.class);
        OptionalInt regStart = log.ordered().stream().filter(e -> e.type() == RecordType.REGULARIZATION_STARTED)
                .mapToInt(LoggedEvent::epoch).findFirst();
        int epochs = 0;
        for (LoggedEvent e : log.ordered()) {
            if (e.type() != RecordType.RUN_STARTED && e.type() != RecordType.MODEL_PUBLISHED
                    && e.type() != RecordType.RUN_FAILED && e.type() != RecordType.RUN_REJECTED) {
                epochs = Math.max(epochs, e.epoch() + 1);
            }
        }
        TreeMap<Integer, Double> lambdas = new TreeMap<>();
        for (PenaltyChanged p : log.all(RecordType.PENALTY_CHANGED, PenaltyChanged.class)) {
            lambdas.put(p.getHeader().getEpoch(), p.getLambdaNew());
        }
        Map<String, Integer> originalWidths = new LinkedHashMap<>();
        Map<String, Integer> finalWidths = new LinkedHashMap<>();
        pe.ifPresent(p -> p.getFinalMask().forEach(g -> finalWidths.put(g.getGroupId(), g.getKept().size())));
        List<Row> rows = new ArrayList<>();
        int monitorStart = spec.getStability().getMonitorStart();
        for (int t = 0; t < epochs; t++) {
            Optional<MaskSnapshot> m = log.at(RecordType.MASK_SNAPSHOT, MaskSnapshot.class, t);
            Optional<EpochCompleted> c = log.at(RecordType.EPOCH_COMPLETED, EpochCompleted.class, t);
            boolean pruned = pe.isPresent() && t > pe.get().getTStar();
            boolean regularizing = !pruned && regStart.isPresent() && t >= regStart.getAsInt();
            String phase = pruned ? PRUNED : regularizing ? REGULARIZING : t >= monitorStart ? MONITORING : DENSE;
            Map.Entry<Integer, Double> lambda = lambdas.floorEntry(t);
            Map<String, Integer> kept = new LinkedHashMap<>();
            if (m.isPresent()) {
                for (GroupMask g : m.get().getGroups()) {
                    kept.put(g.getGroupId(), g.getKept().size());
                    originalWidths.putIfAbsent(g.getGroupId(), g.getOriginalWidth());
                }
            } else if (pruned) {
                kept.putAll(finalWidths);
            }
            List<String> marks = new ArrayList<>();
            if (regStart.isPresent() && regStart.getAsInt() == t) {
                marks.add("t_sl-start");
            }
            if (pe.isPresent() && pe.get().getTStar() == t) {
                marks.add("t* (" + pe.get().getReason() + ")");
            }
            rows.add(new Row(t, phase,
                    m.map(x -> OptionalDouble.of(x.getSimilarity())).orElse(OptionalDouble.empty()),
                    m.map(x -> OptionalDouble.of(x.getStabilityScore())).orElse(OptionalDouble.empty()),
                    regularizing && lambda != null ? OptionalDouble.of(lambda.getValue()) : OptionalDouble.empty(),
                    c.map(x -> OptionalDouble.of(x.getTrainLoss())).orElse(OptionalDouble.empty()),
                    c.map(x -> opt(x.getTestLoss())).orElse(OptionalDouble.empty()),
                    c.map(x -> OptionalDouble.of(x.getTrainAccuracy())).orElse(OptionalDouble.empty()),
                    c.map(x -> opt(x.getTestAccuracy())).orElse(OptionalDouble.empty()),
                    c.map(x -> OptionalDouble.of(x.getLearningRate())).orElse(OptionalDouble.empty()),
                    c.map(x -> OptionalLong.of(x.getFlops())).orElse(OptionalLong.empty()),
                    c.map(x -> OptionalLong.of(x.getParams())).orElse(OptionalLong.empty()),
                    kept, marks));
        }
        pe.ifPresent(p -> p.getFinalMask().forEach(g -> originalWidths.putIfAbsent(g.getGroupId(), g.getOriginalWidth())));
        Optional<Pruning> pruning = pe.map(p -> new Pruning(p.getTStar(), p.getReason().name(), p.getStabilityScore(),
                p.getChannelCounts(), p.getFlopsBefore(), p.getFlopsAfter(), p.getParamsBefore(), p.getParamsAfter()));
        return new RunTimeline(log.runId(), spec, rows, regStart, pruning, originalWidths,
                log.first(RecordType.MODEL_PUBLISHED, ModelPublished.class));
    }

    private static OptionalDouble opt(Double d) {
        return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    public String runId() {
        return runId;
    }

    public RunSpec spec() {
        return spec;
    }

    public List<Row> rows() {
        return rows;
    }

    /** t_sl-start: the first regularised epoch, if regularisation started. */
    public OptionalInt regularizationStart() {
        return regularizationStart;
    }

    public OptionalInt tStar() {
        return pruning.map(p -> OptionalInt.of(p.tStar())).orElse(OptionalInt.empty());
    }

    public Optional<Pruning> pruning() {
        return pruning;
    }

    /** Original width of every group seen in a mask, in group order. */
    public Map<String, Integer> originalWidths() {
        return originalWidths;
    }

    public Optional<ModelPublished> published() {
        return published;
    }
}
