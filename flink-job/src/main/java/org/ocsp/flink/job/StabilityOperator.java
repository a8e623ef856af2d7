package org.ocsp.flink.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.chain.EventLinker;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.job.metrics.RunMetrics;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.flink.job.run.ScoresCodec;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.export.OnnxExport;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.group.GraphResizer;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.stability.StabilityRules;
import org.ocsp.modelops.stability.StabilityState;
import org.ocsp.modelops.stability.StabilityStateSerializer;
import org.ocsp.modelops.stability.StabilityTracker;
import org.ocsp.modelops.train.EpochDecider;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.event.AdaptiveSignal;
import org.ocsp.schemas.avro.event.ConsumedOffset;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.ExportFormat;
import org.ocsp.schemas.avro.event.ExportedModel;
import org.ocsp.schemas.avro.event.FinalMetrics;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.GroupJaccard;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.PruningReason;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.schemas.avro.event.RunEnd;
import org.ocsp.schemas.avro.event.RunFailed;
import org.ocsp.schemas.avro.event.RunRejected;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * The keyed stability operator (key = run id): a thin shell around {@link EpochDecider} and
 * {@link StabilityTracker}. It turns the trainer's epoch results into the run's events, numbered
 * gap-free (RunStarted is 0). For a monitored epoch the decision events come in the order
 * RegularizationStarted, PenaltyChanged, PruningEvent, and MaskSnapshot LAST: the trainer takes
 * the MaskSnapshot of epoch t as "the decision for t is complete" (all of it is in one
 * transaction, so a read_committed reader sees all or nothing). The tracker's state is kept as
 * versioned bytes ({@link StabilityStateSerializer}). Every event carries the hash of the run's
 * previous one (the chain head is keyed state, so a restore continues the chain the committed log
 * holds) and, with a signing key, an Ed25519 signature of its bytes.
 */
public final class StabilityOperator extends KeyedProcessFunction<String, TrainerOutput, OutRecord> {
    private static final long serialVersionUID = 1L;
    public static final String UID = "stability";
    public static final String PRODUCER = "stability";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StabilityOperator.class);

    private final String eventsTopic;
    private final String signingKeyFile;
    private transient ValueState<byte[]> runStarted;
    private transient ValueState<String> chainHead;
    private transient EventLinker linker;
    private transient ValueState<byte[]> tracker;
    private transient ValueState<Long> nextSequence;
    private transient EventCodec codec;
    private transient Map<String, RunModel> models;
    private transient Map<String, RunMetrics> metrics;

    /** Dense graph and groups of a run (derived from its spec; transient). */
    private static final class RunModel {
        final RunSpec spec;
        final String configHash;
        final NetworkGraph graph;
        final List<ChannelGroup> groups;
        final StabilityConfig config;

        RunModel(RunSpec spec, String configHash) {
            this.spec = spec;
            this.configHash = configHash;
            this.graph = RunSpecs.graph(spec);
            this.groups = ChannelGroups.derive(graph);
            this.config = RunSpecs.stability(spec);
        }
    }

    /**
     * @param signingKeyFile the job's Ed25519 private key (PEM), read on the task manager; empty:
     *     the events are chained but not signed
     */
    public StabilityOperator(String eventsTopic, Optional<String> signingKeyFile) {
        this.eventsTopic = eventsTopic;
        this.signingKeyFile = signingKeyFile.orElse(null);
    }

    @Override
    public void open(OpenContext ctx) throws IOException {
        runStarted = getRuntimeContext().getState(new ValueStateDescriptor<>("run-started", Trainer.BYTES));
        tracker = getRuntimeContext().getState(new ValueStateDescriptor<>("tracker", Trainer.BYTES));
        nextSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("next-sequence", Types.LONG));
        chainHead = getRuntimeContext().getState(new ValueStateDescriptor<>("chain-head", Types.STRING));
        codec = EventCodec.create();
        Optional<SigningKey> key = Optional.empty();
        if (signingKeyFile != null) {
            // A missing or unreadable key is the deployment's fault, not a run's: the job does not start.
            key = Optional.of(SigningKey.read(Path.of(signingKeyFile)));
            LOG.info("signing the run log with Ed25519 key {} from {}", key.get().keyId(), signingKeyFile);
        } else {
            LOG.warn("no {} configured: the run log is hash-chained but not signed", JobSettingDef.SIGNING_KEY_FILE);
        }
        linker = new EventLinker(codec, key);
        models = new HashMap<>();
        metrics = new HashMap<>();
    }

    @Override
    public void processElement(TrainerOutput o, Context ctx, Collector<OutRecord> out) throws Exception {
        if (o.kind == TrainerOutput.Kind.START) {
            runStarted.update(o.runStarted);
            nextSequence.update(1L);
            chainHead.update(EventChain.hash(o.runStarted));
            RunModel m = model(o.runId);
            tracker.update(StabilityStateSerializer.toBytes(StabilityTracker.start(m.config, ChannelGroups.widths(m.groups)).snapshot()));
            decide(m, 0, o, out);
            return;
        }
        if (o.kind == TrainerOutput.Kind.FAILED) {
            failed(o, out);
            return;
        }
        if (o.kind == TrainerOutput.Kind.REJECTED) {
            if (runStarted.value() == null) {
                startChain(o); // refused before its first batch: nothing of it is here yet
            }
            RunModel rm = model(o.runId);
            emit(out, rm, RunRejected.newBuilder().setHeader(header(rm, 0, o)).setReason(o.failureReason)
                    .setActiveRuns(o.activeRuns).setLimit(o.runLimit).build());
            release(o.runId);
            return;
        }
        RunModel m = model(o.runId);
        if (o.kind == TrainerOutput.Kind.EPOCH) {
            emit(out, m, EpochCompleted.newBuilder().setHeader(header(m, o.epoch, o)).setDatasetEpoch(o.datasetEpoch)
                    .setTrainLoss(o.trainLoss).setTrainAccuracy(o.trainAccuracy).setTestAccuracy(o.testAccuracy)
                    .setTestLoss(o.testLoss).setLearningRate(o.learningRate).setFlops(o.flops).setParams(o.params)
                    .setImagesPerSecond(o.imagesPerSecond).setDurationMillis(o.durationMillis).build());
            if (!o.last) {
                decide(m, o.epoch + 1, o, out);
            }
        } else if (o.kind == TrainerOutput.Kind.PUBLISHED) {
            boolean stopped = o.stopReason != null;
            emit(out, m, ModelPublished.newBuilder().setHeader(header(m, o.epoch, o)).setUri(o.uri).setSha256(o.sha256)
                    .setEndedBy(stopped ? RunEnd.STOPPED : RunEnd.PLANNED).setStopReason(o.stopReason)
                    .setSizeBytes(o.sizeBytes).setFinalMetrics(FinalMetrics.newBuilder()
                            .setEpochsTrained(stopped ? o.epoch : o.epoch + 1)
                            .setTrainLoss(o.trainLoss).setTrainAccuracy(o.trainAccuracy).setTestAccuracy(o.testAccuracy)
                            .setFlops(o.flops).setParams(o.params).build())
                    .setExports(o.onnxUri == null ? List.of() : List.of(ExportedModel.newBuilder()
                            .setFormat(ExportFormat.ONNX).setUri(o.onnxUri).setSha256(o.onnxSha256)
                            .setSizeBytes(o.onnxSizeBytes).setOpset(OnnxExport.OPSET).build()))
                    .build());
            release(o.runId);
        }
    }

    /** The run's state here for a run that ends before its first batch: the chain starts at its RunStarted. */
    private void startChain(TrainerOutput o) throws IOException {
        runStarted.update(o.runStarted);
        nextSequence.update(1L);
        chainHead.update(EventChain.hash(o.runStarted));
    }

    /** Logs RunFailed, the run's last event, and releases its state here (as ModelPublished does). */
    private void failed(TrainerOutput o, Collector<OutRecord> out) throws Exception {
        if (runStarted.value() == null) { // it failed before its first batch started it here
            startChain(o);
        }
        RunModel m = model(o.runId);
        emit(out, m, RunFailed.newBuilder().setHeader(header(m, o.epoch, o)).setStage(o.failureStage)
                .setReason(o.failureReason).setInput(o.failureInput).build());
        release(o.runId);
    }

    /** After the run's last event nothing more comes for it here: its state and models go. */
    private void release(String runId) {
        runStarted.clear();
        tracker.clear();
        nextSequence.clear();
        chainHead.clear();
        models.remove(runId);
        metrics.remove(runId);
    }

    private void decide(RunModel m, int t, TrainerOutput o, Collector<OutRecord> out) throws Exception {
        StabilityState before = StabilityStateSerializer.fromBytes(tracker.value());
        StabilityTracker tr = StabilityTracker.restore(m.config, before);
        double lambdaBefore = tr.lastDecision().flatMap(d -> d.lambda().isPresent()
                ? Optional.of(d.lambda().getAsDouble()) : Optional.<Double>empty()).orElse(0.0);
        EpochDecider decider = new EpochDecider(m.graph, m.groups, RunSpecs.selection(m.spec), tr);
        EpochDecision d = decider.decide(t, () -> {
            if (o.scores == null) {
                throw new IllegalStateException("Epoch " + t + " of run " + o.runId + " needs saliency scores, the "
                        + "trainer sent none");
            }
            return ScoresCodec.fromBytes(o.scores);
        });
        tracker.update(StabilityStateSerializer.toBytes(tr.snapshot()));
        RunMetrics rm = metrics.computeIfAbsent(o.runId, id -> RunMetrics.stability(getRuntimeContext().getMetricGroup(), id));
        rm.epoch = t;
        rm.phase = d.phase().name();
        rm.stability = d.stability().orElse(0);
        rm.lambda = d.lambda().orElse(0);
        if (d.mask().isEmpty()) {
            return;
        }
        double stability = d.stability().orElse(0);
        if (d.regularizationStartedNow()) {
            boolean fixed = m.config.regularizationStart() == org.ocsp.modelops.stability.RegularizationStartMode.FIXED;
            String reason = adaptive(m)
                    ? "churn(" + t + ") = " + d.churn().getAsDouble() + " <= adaptiveStartChurn " + m.config.adaptiveStartChurn()
                    : fixed ? "epoch " + t + " > slStart + 1 = " + (m.config.slStart() + 1)
                    : "J_avg(" + t + ") - J_avg(" + (t - 2) + ") = " + (before.recentStabilityScores().isEmpty() ? stability
                            : stability - before.recentStabilityScores().get(0))
                            + " <= eps " + m.config.plateauEps();
            emit(out, m, RegularizationStarted.newBuilder().setHeader(header(m, t, o))
                    .setMode(fixed ? RegularizationStartMode.FIXED : RegularizationStartMode.AUTOMATIC)
                    .setReason(reason).setStabilityScore(stability).build());
        }
        if (d.lambdaChanged()) {
            emit(out, m, PenaltyChanged.newBuilder().setHeader(header(m, t, o)).setLambdaOld(lambdaBefore)
                    .setLambdaNew(d.lambda().getAsDouble()).build());
        }
        SubnetworkMask mask = d.mask().get();
        if (d.pruneAtEndOfEpoch()) {
            emit(out, m, pruningEvent(m, t, o, d, mask, stability));
        }
        List<GroupJaccard> jaccard = new ArrayList<>();
        d.groupJaccard().forEach((g, j) -> jaccard.add(GroupJaccard.newBuilder().setGroupId(g).setJaccard(j).build()));
        Optional<GroupScores> scores = decider.lastScores();
        emit(out, m, MaskSnapshot.newBuilder().setHeader(header(m, t, o)).setGroups(SelectionRecords.groupMasks(m.groups, mask))
                .setComparedWithEpoch(jaccard.isEmpty() ? null : t - m.config.lag()).setGroupJaccard(jaccard)
                .setSimilarity(d.similarity().orElse(0)).setStabilityScore(stability)
                .setSaliencyDigest(SelectionRecords.DIGEST_PREFIX + scores.map(GroupScores::digest).orElse(""))
                .setSelection(scores.isEmpty() ? null : SelectionRecords.inputs(m.groups, scores.get(),
                        decider.lastSelection().orElseThrow()))
                .setAdaptive(adaptive(m) ? adaptiveSignal(d) : null)
                .build());
    }

    private static boolean adaptive(RunModel m) {
        return m.config.stabilityRules() == StabilityRules.ADAPTIVE;
    }

    private static AdaptiveSignal adaptiveSignal(EpochDecision d) {
        return AdaptiveSignal.newBuilder().setChurn(d.churn().isPresent() ? d.churn().getAsDouble() : null)
                .setRemovalWeightRatio(d.removalWeightRatio().getAsDouble())
                .setPlannedRatio(d.plannedRatio().isPresent() ? d.plannedRatio().getAsDouble() : null).build();
    }

    private PruningEvent pruningEvent(RunModel m, int t, TrainerOutput o, EpochDecision d, SubnetworkMask mask,
                                      double stability) throws Exception {
        Map<String, Integer> after = new LinkedHashMap<>();
        List<GroupChannelCount> counts = new ArrayList<>();
        for (ChannelGroup g : m.groups) {
            int kept = mask.groupIds().contains(g.id()) ? mask.keptCount(g.id()) : g.width();
            after.put(g.id(), kept);
            counts.add(GroupChannelCount.newBuilder().setGroupId(g.id()).setBefore(g.width()).setAfter(kept).build());
        }
        CostModel dense = CostModel.of(m.graph);
        CostModel pruned = CostModel.of(GraphResizer.withWidths(m.graph, m.groups, after));
        return PruningEvent.newBuilder().setHeader(header(m, t, o)).setTStar(t)
                .setReason(PruningReason.valueOf(d.pruneReason().get().name()))
                .setStabilityScore(stability).setFinalMask(SelectionRecords.groupMasks(m.groups, mask)).setChannelCounts(counts)
                .setFlopsBefore(dense.flops()).setFlopsAfter(pruned.flops()).setParamsBefore(dense.params())
                .setParamsAfter(pruned.params()).build();
    }

    private EventHeader header(RunModel m, int epoch, TrainerOutput o) throws Exception {
        long seq = nextSequence.value();
        nextSequence.update(seq + 1);
        EventHeader h = RunSpecs.header(o.runId, seq, epoch, o.step, PRODUCER, m.configHash);
        if (o.lastOffset != null && o.batchesTopic != null) {
            h.setConsumedOffsets(List.of(ConsumedOffset.newBuilder().setTopic(o.batchesTopic).setPartition(0)
                    .setOffset(o.lastOffset).build()));
        }
        return h;
    }

    /** Links the event to the run's chain (a run restored from before the chain has none), signs it and sends it. */
    private void emit(Collector<OutRecord> out, RunModel m, SpecificRecord event) throws IOException {
        EventLinker.Linked l = linker.link(event, chainHead.value());
        chainHead.update(l.hash());
        OutRecord r = new OutRecord(eventsTopic, ((EventHeader) event.get(0)).getRunId().getBytes(StandardCharsets.UTF_8),
                l.bytes());
        out.collect(l.signature().map(r::signed).orElse(r));
    }

    private RunModel model(String runId) throws Exception {
        RunModel m = models.get(runId);
        if (m == null) {
            byte[] bytes = runStarted.value();
            if (bytes == null) {
                throw new IllegalStateException("Run " + runId + " has no RunStarted in the stability operator's state");
            }
            RunStarted s = codec.decode(bytes, RunStarted.class);
            m = new RunModel(s.getSpec(), s.getHeader().getConfigHash());
            models.put(runId, m);
        }
        return m;
    }
}
