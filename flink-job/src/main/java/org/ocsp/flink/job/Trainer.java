package org.ocsp.flink.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * The keyed trainer (key = run id): a thin shell around {@link org.ocsp.modelops.train.TrainingSession}.
 * Input 1: the run's batches; input 2: the run's events read back from the log (read_committed).
 *
 * <p>Determinism rule: epoch t+1 is not trained before the decision for it has been read from the
 * log and applied; batches that arrive earlier wait in a queue (map state keyed by arrival number, drained a few batches per call). The control state changes only
 * by log events and consumed batches. The model lives in native memory while an epoch trains and
 * is written to keyed state per tensor at each epoch boundary; a restore rebuilds it from that
 * boundary and replays the in-progress epoch's batches (kept in state), so it is exact.
 */
public final class Trainer extends KeyedCoProcessFunction<String, RunBatch, ControlEvent, TrainerOutput> {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Trainer.class);
    public static final String UID = "trainer";
    public static final String STAGE = "trainer";
    static final TypeInformation<byte[]> BYTES = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    /** Waiting batches trained per call before a timer continues (keeps checkpoints and cancel responsive). */
    static final int BATCHES_PER_CALL = 2;

    private final DeadLetters deadLetters;
    private final String modelDir;

    private transient ValueState<byte[]> control;
    /** Batches that came before the run's RunStarted (rare; re-read once it arrives). */
    private transient ListState<RunBatch> early;
    /** Batches waiting for their epoch's decision, in arrival order: key = arrival number. */
    private transient MapState<Long, RunBatch> queue;
    private transient ListState<RunBatch> consumed;
    private transient MapState<String, byte[]> model;
    private transient Map<String, LiveRun> live;
    private transient Map<String, RunMetrics> metrics;
    private transient EventCodec codec;
    private transient Counter rejected;
    private transient Counter skipped;
    private transient Counter inherited;

    public Trainer(DeadLetters deadLetters, String modelDir) {
        this.deadLetters = deadLetters;
        this.modelDir = modelDir;
    }

    @Override
    public void open(OpenContext ctx) {
        control = getRuntimeContext().getState(new ValueStateDescriptor<>("control", BYTES));
        early = getRuntimeContext().getListState(new ListStateDescriptor<>("early", TypeInformation.of(RunBatch.class)));
        queue = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("queue", Types.LONG, TypeInformation.of(RunBatch.class)));
        consumed = getRuntimeContext().getListState(
                new ListStateDescriptor<>("epoch-batches", TypeInformation.of(RunBatch.class)));
        model = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("model-tensors", Types.STRING, BYTES));
        live = new HashMap<>();
        metrics = new HashMap<>();
        codec = EventCodec.create();
        rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
        skipped = getRuntimeContext().getMetricGroup().counter("batchesBeforeRunStart");
        inherited = getRuntimeContext().getMetricGroup().counter("runsFromEarlierJobs");
        ComputeDevice device = ComputeDevice.choose(getRuntimeContext().getExternalResourceInfos(ComputeDevice.RESOURCE),
                ComputeDevice.cudaBackendLoaded());
        device.apply();
        LOG.info(device.describe());
        getRuntimeContext().getMetricGroup().gauge("device", (org.apache.flink.metrics.Gauge<String>) () -> device.kind().name());
    }

    @Override
    public void close() {
        if (live != null) {
            live.values().forEach(LiveRun::close);
            live.clear();
        }
    }

    // ---------------------------------------------------------------- input 1: batches

    @Override
    public void processElement1(RunBatch b, Context ctx, Collector<TrainerOutput> out) throws Exception {
        byte[] bytes = control.value();
        if (bytes == null) {
            early.add(b); // RunStarted is on its way through the control input
            return;
        }
        RunControl c = RunControl.fromBytes(bytes);
        accept(c, b, ctx, out);
        progress(c, ctx, out);
        control.update(c.toBytes());
    }

    private void accept(RunControl c, RunBatch b, Context ctx, Collector<TrainerOutput> out) throws Exception {
        if (c.finished) {
            return;
        }
        RunSpec spec = spec(c);
        Optional<String> wrong = shapeProblem(spec, b);
        if (wrong.isPresent()) {
            deadLetter(c, b, ctx, "wrong shape: " + wrong.get());
            return;
        }
        if (c.startDatasetEpoch.isEmpty()) {
            if (b.epochEnd || b.eval || b.index != 0) {
                skipped.inc(); // joined mid-epoch: the run starts at the next dataset epoch
                return;
            }
            if (b.batchCount == null) {
                deadLetter(c, b, ctx, "the first batch of a run must carry batchCount (the schedule needs it)");
                return;
            }
            startRun(c, b, ctx, out);
        }
        int runEpoch = b.epoch - c.startDatasetEpoch.get();
        if (runEpoch < c.epoch) {
            deadLetter(c, b, ctx, "epoch out of order: " + b.describe() + " (run epoch " + runEpoch
                    + ") arrived while the run is at epoch " + c.epoch);
            return;
        }
        Integer planned = spec.getEpochsPlanned();
        if (planned != null && runEpoch >= planned) {
            return;
        }
        if (c.queueEmpty() && runEpoch == c.epoch && c.decisionApplied) {
            consume(c, b, ctx, out);
        } else {
            queue.put(c.queueTail, b);
            c.queueTail++;
        }
    }

    private static Optional<String> shapeProblem(RunSpec spec, RunBatch b) {
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

    private void startRun(RunControl c, RunBatch first, Context ctx, Collector<TrainerOutput> out) throws Exception {
        c.startDatasetEpoch = Optional.of(first.epoch);
        c.trainBatchesPerEpoch = Optional.of(first.batchCount);
        c.epoch = 0;
        LiveRun r = live(c, ctx.getCurrentKey());
        TrainerOutput o = new TrainerOutput();
        o.runId = ctx.getCurrentKey();
        o.kind = TrainerOutput.START;
        o.runStarted = c.runStarted;
        o.datasetEpoch = first.epoch;
        if (r.spec.getStability().getMonitorStart() <= 0) {
            o.scores = ScoresCodec.toBytes(r.session.saliency());
        }
        out.collect(o);
    }

    private void consume(RunControl c, RunBatch b, Context ctx, Collector<TrainerOutput> out) throws Exception {
        if (b.epochEnd) {
            if (b.trainBatches != c.trainSeen || b.evalBatches != c.evalSeen) {
                deadLetter(c, b, ctx, "EpochEnd of dataset epoch " + b.epoch + " announces " + b.trainBatches
                        + " TRAIN and " + b.evalBatches + " EVAL batches, the run received " + c.trainSeen + " and "
                        + c.evalSeen + " (the epoch ends with what was received)");
            }
            c.lastOffset = Optional.of(b.offset);
            finishEpoch(c, ctx, out);
            return;
        }
        boolean inOrder = b.eval ? b.index == c.evalSeen : b.index == c.trainSeen && c.evalSeen == 0;
        if (!inOrder) {
            deadLetter(c, b, ctx, "out of order: " + b.describe() + " while the run expects "
                    + (c.evalSeen == 0 ? "TRAIN batch " + c.trainSeen + " or EVAL batch 0" : "EVAL batch " + c.evalSeen));
            return;
        }
        LiveRun r = live(c, ctx.getCurrentKey());
        r.step(b);
        if (b.eval) {
            c.evalSeen++;
        } else {
            c.trainSeen++;
        }
        c.lastOffset = Optional.of(b.offset);
        consumed.add(b);
        RunMetrics m = metrics(ctx.getCurrentKey());
        m.loss = r.loss / Math.max(1, r.seen);
        m.accuracy = (double) r.correct / Math.max(1, r.seen);
    }

    /**
     * Applies decisions and drains waiting batches as far as the log allows, at most
     * {@link #BATCHES_PER_CALL} per call: a timer continues, so checkpoint barriers and
     * cancellation get through between batches even when a whole epoch is waiting.
     */
    private void progress(RunControl c, Context ctx, Collector<TrainerOutput> out) throws Exception {
        int monitorStart = spec(c).getStability().getMonitorStart();
        int budget = BATCHES_PER_CALL;
        while (!c.finished && c.startDatasetEpoch.isPresent()) {
            if (!c.decisionApplied) {
                if (c.waitingForDecision(monitorStart)) {
                    return;
                }
                applyDecision(c, live(c, ctx.getCurrentKey()));
                c.decisionApplied = true;
            }
            if (c.queueEmpty()) {
                return;
            }
            if (budget == 0) {
                ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime());
                return;
            }
            RunBatch b = queue.get(c.queueHead);
            int runEpoch = b.epoch - c.startDatasetEpoch.get();
            if (runEpoch > c.epoch) {
                return; // the current epoch's EpochEnd has not arrived yet
            }
            queue.remove(c.queueHead);
            c.queueHead++;
            if (runEpoch < c.epoch) {
                deadLetter(c, b, ctx, "epoch out of order: " + b.describe() + " (run epoch " + runEpoch
                        + ") is older than the run's epoch " + c.epoch);
            } else {
                consume(c, b, ctx, out);
                budget--;
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainerOutput> out) throws Exception {
        byte[] bytes = control.value();
        if (bytes == null) {
            return;
        }
        RunControl c = RunControl.fromBytes(bytes);
        progress(c, ctx, out);
        control.update(c.toBytes());
    }

    /** The decision for epoch c.epoch, from the log (or implied: dense before monitoring, nothing after pruning). */
    private void applyDecision(RunControl c, LiveRun r) {
        int t = c.epoch;
        if (!c.pruned) {
            if (c.regularizedAt(t) && c.masks.containsKey(t)) {
                r.session.setPenalty(RunControl.mask(c.masks.get(t)), c.lambdaAt(t));
            } else {
                r.session.clearPenalty();
            }
        }
        c.masks.headMap(t).clear();
        if (r.epochEndNanos != 0) {
            metrics(r.runId).decisionWaitMillis = (System.nanoTime() - r.epochEndNanos) / 1_000_000;
        }
        r.startEpoch();
        RunMetrics m = metrics(r.runId);
        m.epoch = t;
        m.lambda = c.regularizedAt(t) ? c.lambdaAt(t) : 0;
        m.phase = c.pruned ? "PRUNED" : c.regularizedAt(t) ? "REGULARIZING"
                : t >= r.spec.getStability().getMonitorStart() ? "MONITORING" : "DENSE";
    }

    private void finishEpoch(RunControl c, Context ctx, Collector<TrainerOutput> out) throws Exception {
        String runId = ctx.getCurrentKey();
        LiveRun r = live(c, runId);
        int t = c.epoch;
        long end = System.nanoTime();
        TrainerOutput o = new TrainerOutput();
        o.runId = runId;
        o.kind = TrainerOutput.EPOCH;
        o.epoch = t;
        o.datasetEpoch = c.startDatasetEpoch.get() + t;
        o.trainLoss = r.loss / Math.max(1, r.seen);
        o.trainAccuracy = (double) r.correct / Math.max(1, r.seen);
        o.testLoss = r.testSeen > 0 ? r.testLoss / r.testSeen : null;
        o.testAccuracy = r.testSeen > 0 ? (double) r.testCorrect / r.testSeen : null;
        o.learningRate = r.session.learningRate();
        o.flops = r.session.flops();
        o.params = r.session.parameterCount();
        o.imagesPerSecond = r.imagesPerSecond();
        o.durationMillis = (end - r.startNanos) / 1_000_000;
        o.lastOffset = c.lastOffset.orElse(null);
        o.batchesTopic = r.batchesTopic;
        if (c.pruneEpoch.isPresent() && c.pruneEpoch.get() == t && !c.pruned) {
            r.session.prune(RunControl.mask(c.pruneMask));
            c.pruned = true;
        }
        o.step = r.session.iteration();
        Integer planned = r.spec.getEpochsPlanned();
        o.last = planned != null && t == planned - 1;
        if (!o.last && !c.pruned && t + 1 >= r.spec.getStability().getMonitorStart()) {
            o.scores = ScoresCodec.toBytes(r.session.saliency());
        }
        RunMetrics m = metrics(runId);
        m.imagesPerSecond = o.imagesPerSecond;
        m.testAccuracy = o.testAccuracy == null ? 0 : o.testAccuracy;
        m.flops = r.session.flops();
        out.collect(o);
        if (o.last) {
            out.collect(ModelPublisher.publish(modelDir, runId, c, r.spec, r.session, o));
            c.finished = true;
            consumed.clear();
            model.clear();
            queue.clear();
            c.queueHead = c.queueTail;
            r.close();
            live.remove(runId);
            return;
        }
        ModelStateStore.save(r.session, model);
        c.boundarySaved = true;
        c.boundaryIteration = r.session.iteration();
        consumed.clear();
        c.epoch = t + 1;
        c.trainSeen = 0;
        c.evalSeen = 0;
        c.decisionApplied = false;
        r.epochEndNanos = System.nanoTime();
    }

    // ---------------------------------------------------------------- input 2: the event log

    @Override
    public void processElement2(ControlEvent e, Context ctx, Collector<TrainerOutput> out) throws Exception {
        byte[] bytes = control.value();
        RunControl c = bytes == null ? null : RunControl.fromBytes(bytes);
        if (RecordType.RUN_STARTED.name().equals(e.type)) {
            onRunStarted(c, e, ctx, out);
            return;
        }
        if (c == null) {
            return; // event for an unknown run: RunFanOut dead-letters it
        }
        if (e.sequence != c.lastSequence + 1) {
            deadLetter(e, ctx, "out of order: " + e.type + " with sequence " + e.sequence + " for run '" + e.runId
                    + "', expected sequence " + (c.lastSequence + 1), c.configHash);
            return;
        }
        if (c.startDatasetEpoch.isEmpty() && !c.finished) {
            // Only this job's stability operator writes events after RunStarted, and only once the run has
            // started here. So an earlier job (whose state this one does not have) trained this run: resuming
            // it needs that job's checkpoint. Left alone instead of training it a second time.
            LOG.warn("Run {} already has events from an earlier job in the log ({} sequence {}); it is not resumed "
                    + "without that job's checkpoint", e.runId, e.type, e.sequence);
            inherited.inc();
            c.finished = true;
            queue.clear();
            c.queueHead = c.queueTail;
        }
        try {
            apply(c, e);
        } catch (UnreadableRecordException | RuntimeException ex) {
            deadLetter(e, ctx, "cannot apply " + e.type + ": " + ex.getMessage(), c.configHash);
            return;
        }
        c.lastSequence = e.sequence;
        progress(c, ctx, out);
        control.update(c.toBytes());
    }

    private void onRunStarted(RunControl existing, ControlEvent e, Context ctx, Collector<TrainerOutput> out)
            throws Exception {
        RunStarted s;
        try {
            s = codec.decode(e.value, RunStarted.class);
        } catch (UnreadableRecordException ex) {
            deadLetter(e, ctx, ex.getMessage(), null);
            return;
        }
        String hash = RunSpecs.configHash(s.getSpec());
        if (existing != null) {
            if (!existing.configHash.equals(hash)) {
                deadLetter(e, ctx, "run '" + e.runId + "' was already started with config " + existing.configHash
                        + "; a run id cannot be reused with another spec (" + hash + ")", hash);
            }
            return;
        }
        List<String> problems = RunSpecs.problems(s.getSpec());
        if (e.sequence != 0 || !hash.equals(s.getHeader().getConfigHash()) || !problems.isEmpty()) {
            deadLetter(e, ctx, "invalid RunStarted: sequence " + e.sequence + " (must be 0), config hash "
                    + s.getHeader().getConfigHash() + " (computed " + hash + ")" + (problems.isEmpty() ? "" : ", "
                    + String.join("; ", problems)), hash);
            return;
        }
        RunControl c = new RunControl();
        c.runStarted = e.value;
        c.configHash = hash;
        c.lastSequence = 0;
        List<RunBatch> before = new ArrayList<>();
        for (RunBatch b : early.get()) {
            before.add(b);
        }
        early.clear();
        for (RunBatch b : before) {
            accept(c, b, ctx, out);
        }
        progress(c, ctx, out);
        control.update(c.toBytes());
    }

    private void apply(RunControl c, ControlEvent e) throws UnreadableRecordException {
        RecordType type = RecordType.valueOf(e.type);
        switch (type) {
            case MASK_SNAPSHOT: {
                MaskSnapshot m = codec.decode(e.value, MaskSnapshot.class);
                c.masks.put(m.getHeader().getEpoch(), kept(m.getGroups()));
                break;
            }
            case REGULARIZATION_STARTED:
                c.regularizationStart = Optional.of(e.epoch);
                break;
            case PENALTY_CHANGED: {
                PenaltyChanged p = codec.decode(e.value, PenaltyChanged.class);
                c.lambdas.put(p.getHeader().getEpoch(), p.getLambdaNew());
                break;
            }
            case PRUNING_EVENT: {
                PruningEvent p = codec.decode(e.value, PruningEvent.class);
                c.pruneEpoch = Optional.of(p.getTStar());
                c.pruneMask = kept(p.getFinalMask());
                break;
            }
            default:
                break; // EpochCompleted, ModelPublished: records of what happened, no control change
        }
    }

    private static Map<String, int[]> kept(List<GroupMask> groups) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (GroupMask g : groups) {
            m.put(g.getGroupId(), g.getKept().stream().mapToInt(Integer::intValue).toArray());
        }
        return m;
    }

    // ---------------------------------------------------------------- helpers

    private RunSpec spec(RunControl c) throws UnreadableRecordException {
        return codec.decode(c.runStarted, RunStarted.class).getSpec();
    }

    /** The run's live session; after a restore it is rebuilt from the last epoch boundary and the epoch's batches. */
    private LiveRun live(RunControl c, String runId) throws Exception {
        LiveRun r = live.get(runId);
        if (r != null) {
            return r;
        }
        RunSpec spec = spec(c);
        r = LiveRun.create(runId, spec, c.trainBatchesPerEpoch.orElseThrow());
        live.put(runId, r);
        if (c.boundarySaved) {
            if (c.pruned) {
                r.session.prune(RunControl.mask(c.pruneMask));
            }
            Optional<float[]> momentum = ModelStateStore.load(r.session, model);
            r.session.restorePosition(c.boundaryIteration, momentum);
        }
        if (c.decisionApplied) {
            applyDecision(c, r);
            for (RunBatch b : consumed.get()) {
                r.step(b);
            }
        }
        return r;
    }

    private RunMetrics metrics(String runId) {
        return metrics.computeIfAbsent(runId, id -> RunMetrics.trainer(getRuntimeContext().getMetricGroup(), id));
    }

    private void deadLetter(RunControl c, RunBatch b, Context ctx, String reason) {
        rejected.inc();
        byte[] payload = BatchPayload.encode(b, codec);
        ctx.output(DeadLetters.TAG, deadLetters.of(b.topic, b.partition, b.offset, null, payload, STAGE,
                BadInputException.class.getName(), reason, ctx.getCurrentKey(), c.configHash, codec));
    }

    private void deadLetter(ControlEvent e, Context ctx, String reason, String configHash) {
        rejected.inc();
        ctx.output(DeadLetters.TAG, deadLetters.of(e.topic, e.partition, e.offset, e.key, e.value, STAGE,
                BadInputException.class.getName(), reason, e.runId, configHash, codec));
    }
}
