package org.ocsp.flink.job;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.ocsp.modelops.engine.CpuFeatures;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * The keyed trainer (key = run id): a thin shell around {@link org.ocsp.modelops.train.TrainingSession}.
 * Input 1: the run's batches; input 2: the run's events read back from the log (read_committed).
 *
 * <p>Determinism rule: epoch t+1 is not trained before the decision for it has been read from the
 * log and applied ({@link EpochGate}); batches that arrive earlier wait in a {@link WaitQueue} (in
 * memory, with their topic addresses in keyed state; drained a few batches per call). The control state changes only by log events
 * ({@link LoggedDecisions}) and consumed batches. The model lives in native memory and is written
 * to keyed state per tensor when a checkpoint is taken ({@link TrainerOperator}, {@link LiveRuns});
 * a restore rebuilds it from there, mid-epoch included, so it is exact.
 */
public final class Trainer extends KeyedCoProcessFunction<String, RunBatch, ControlEvent, TrainerOutput> {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Trainer.class);
    public static final String UID = "trainer";
    public static final String STAGE = "trainer";
    static final TypeInformation<byte[]> BYTES = TrainerState.BYTES;
    /** Waiting batches trained per call before a timer continues (keeps checkpoints and cancel responsive). */
    static final int BATCHES_PER_CALL = 2;

    private final DeadLetters deadLetters;
    private final String modelDir;
    private final BatchReader batchReader;
    private final long waitingBatchBytes;

    private transient TrainerState state;
    private transient TrainerMetrics metrics;
    private transient LiveRuns live;
    private transient EventCodec codec;
    private transient RejectedInput rejected;
    private transient WaitQueue queue;

    /**
     * @param batchReader reads waiting batches again from the batches topic (after a restore, or
     *     beyond {@code waitingBatchBytes})
     * @param waitingBatchBytes memory budget for the bodies of waiting batches on this task (at most
     *     a quarter of the heap's share of one slot is used)
     */
    public Trainer(DeadLetters deadLetters, String modelDir, BatchReader batchReader, long waitingBatchBytes) {
        this.deadLetters = deadLetters;
        this.modelDir = modelDir;
        this.batchReader = batchReader;
        this.waitingBatchBytes = waitingBatchBytes;
    }

    @Override
    public void open(OpenContext ctx) {
        state = TrainerState.open(getRuntimeContext());
        ComputeDevice device = ComputeDevice.choose(getRuntimeContext().getExternalResourceInfos(ComputeDevice.RESOURCE),
                ComputeDevice.cudaBackendLoaded());
        device.apply();
        LOG.info(device.describe());
        if (device.kind() == ComputeDevice.Kind.CPU) {
            TrainerThreads.limit(getRuntimeContext());
            LOG.info("CPU features: {}", CpuFeatures.describe());
        }
        metrics = new TrainerMetrics(getRuntimeContext().getMetricGroup(), device);
        live = new LiveRuns(state, metrics::run);
        codec = EventCodec.create();
        rejected = new RejectedInput(deadLetters, codec, metrics.deadLetters);
        long budget = WaitingBatches.budget(waitingBatchBytes, Runtime.getRuntime().maxMemory(),
                TrainerThreads.slots(getRuntimeContext()));
        LOG.info("waiting batches: up to {} MiB in memory, beyond that re-read from Kafka", budget >> 20);
        WaitingBatches memory = new WaitingBatches(budget);
        metrics.waitingBatchBytes(memory);
        queue = new WaitQueue(state.queue, memory, batchReader, metrics.batchesReread);
    }

    /** Writes the changed live models into keyed state; {@link TrainerOperator} calls it as a checkpoint is taken. */
    void checkpoint(Consumer<String> selectKey) throws Exception {
        live.checkpoint(selectKey);
    }

    @Override
    public void close() {
        if (live != null) {
            live.close();
        }
        batchReader.close();
    }

    // ---------------------------------------------------------------- input 1: batches

    @Override
    public void processElement1(RunBatch b, Context ctx, Collector<TrainerOutput> out) throws Exception {
        Optional<RunControl> control = state.control();
        if (control.isEmpty()) {
            state.holdEarly(b); // RunStarted is on its way through the control input
            return;
        }
        RunControl c = control.get();
        accept(c, b, ctx, out);
        progress(c, ctx, out);
        state.save(c);
    }

    private void accept(RunControl c, RunBatch b, Context ctx, Collector<TrainerOutput> out) throws Exception {
        if (c.finished) {
            return;
        }
        RunSpec spec = spec(c);
        Optional<String> wrong = BatchShapeCheck.problem(spec, b);
        if (wrong.isPresent()) {
            rejected.batch(ctx, c, b, "wrong shape: " + wrong.get());
            return;
        }
        if (c.startDatasetEpoch.isEmpty()) {
            if (b.epochEnd || b.eval || b.index != 0) {
                metrics.batchesBeforeRunStart.inc(); // joined mid-epoch: the run starts at the next dataset epoch
                return;
            }
            if (b.batchCount == null) {
                rejected.batch(ctx, c, b, "the first batch of a run must carry batchCount (the schedule needs it)");
                return;
            }
            startRun(c, b, ctx, out);
        }
        int runEpoch = b.epoch - c.startDatasetEpoch.get();
        if (runEpoch < c.epoch) {
            rejected.batch(ctx, c, b, "epoch out of order: " + b.describe() + " (run epoch " + runEpoch
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
            queue.add(c, ctx.getCurrentKey(), b);
        }
    }

    private void startRun(RunControl c, RunBatch first, Context ctx, Collector<TrainerOutput> out) throws Exception {
        c.startDatasetEpoch = Optional.of(first.epoch);
        c.trainBatchesPerEpoch = Optional.of(first.batchCount);
        c.epoch = 0;
        LiveRun r = live(c, ctx.getCurrentKey());
        TrainerOutput o = new TrainerOutput();
        o.runId = ctx.getCurrentKey();
        o.kind = TrainerOutput.Kind.START;
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
                rejected.batch(ctx, c, b, "EpochEnd of dataset epoch " + b.epoch + " announces " + b.trainBatches
                        + " TRAIN and " + b.evalBatches + " EVAL batches, the run received " + c.trainSeen + " and "
                        + c.evalSeen + " (the epoch ends with what was received)");
            }
            c.lastOffset = Optional.of(b.offset);
            finishEpoch(c, ctx, out);
            return;
        }
        boolean inOrder = b.eval ? b.index == c.evalSeen : b.index == c.trainSeen && c.evalSeen == 0;
        if (!inOrder) {
            rejected.batch(ctx, c, b, "out of order: " + b.describe() + " while the run expects "
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
        RunMetrics m = metrics.run(ctx.getCurrentKey());
        m.loss = r.train.meanLoss();
        m.accuracy = r.train.accuracy();
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
                if (EpochGate.closed(c, monitorStart)) {
                    return;
                }
                EpochGate.open(c, live(c, ctx.getCurrentKey()), metrics.run(ctx.getCurrentKey()));
                c.decisionApplied = true;
            }
            if (c.queueEmpty()) {
                return;
            }
            if (budget == 0) {
                ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime());
                return;
            }
            BatchAddress head = queue.head(c, ctx.getCurrentKey());
            int runEpoch = head.epoch - c.startDatasetEpoch.get();
            if (runEpoch > c.epoch) {
                return; // the current epoch's EpochEnd has not arrived yet
            }
            Optional<RunBatch> waiting = queue.take(c, ctx.getCurrentKey());
            if (waiting.isEmpty()) {
                rejected.unreadable(ctx, c, head, "waiting batch " + head + " could not be read again from Kafka after a "
                        + "restore (deleted by retention?); the epoch goes on without it");
                continue;
            }
            RunBatch b = waiting.get();
            if (runEpoch < c.epoch) {
                rejected.batch(ctx, c, b, "epoch out of order: " + b.describe() + " (run epoch " + runEpoch
                        + ") is older than the run's epoch " + c.epoch);
            } else {
                consume(c, b, ctx, out);
                budget--;
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainerOutput> out) throws Exception {
        Optional<RunControl> control = state.control();
        if (control.isEmpty()) {
            return;
        }
        progress(control.get(), ctx, out);
        state.save(control.get());
    }

    private void finishEpoch(RunControl c, Context ctx, Collector<TrainerOutput> out) throws Exception {
        String runId = ctx.getCurrentKey();
        LiveRun r = live(c, runId);
        TrainerOutput o = EpochCompletion.complete(c, r, metrics.run(runId));
        out.collect(o);
        if (o.last) {
            out.collect(ModelPublisher.publish(modelDir, runId, c, r.spec, r.session, o));
            c.finished = true;
            state.dropModel();
            queue.clear(c, runId);
            live.end(runId);
            return;
        }
        EpochCompletion.advance(c, r);
    }

    // ---------------------------------------------------------------- input 2: the event log

    @Override
    public void processElement2(ControlEvent e, Context ctx, Collector<TrainerOutput> out) throws Exception {
        RunControl c = state.control().orElse(null);
        if (e.type == RecordType.RUN_STARTED) {
            onRunStarted(c, e, ctx, out);
            return;
        }
        if (c == null) {
            return; // event for an unknown run: RunFanOut dead-letters it
        }
        if (e.sequence != c.lastSequence + 1) {
            rejected.event(ctx, e, "out of order: " + e.type + " with sequence " + e.sequence + " for run '" + e.runId
                    + "', expected sequence " + (c.lastSequence + 1), c.configHash);
            return;
        }
        if (c.startDatasetEpoch.isEmpty() && !c.finished) {
            // Only this job's stability operator writes events after RunStarted, and only once the run has
            // started here. So an earlier job (whose state this one does not have) trained this run: resuming
            // it needs that job's checkpoint. Left alone instead of training it a second time.
            LOG.warn("Run {} already has events from an earlier job in the log ({} sequence {}); it is not resumed "
                    + "without that job's checkpoint", e.runId, e.type, e.sequence);
            metrics.runsFromEarlierJobs.inc();
            c.finished = true;
            queue.clear(c, ctx.getCurrentKey());
        }
        try {
            LoggedDecisions.apply(c, e, codec);
        } catch (UnreadableRecordException | RuntimeException ex) {
            rejected.event(ctx, e, "cannot apply " + e.type + ": " + ex.getMessage(), c.configHash);
            return;
        }
        c.lastSequence = e.sequence;
        progress(c, ctx, out);
        state.save(c);
    }

    private void onRunStarted(RunControl existing, ControlEvent e, Context ctx, Collector<TrainerOutput> out)
            throws Exception {
        RunStarted s;
        try {
            s = codec.decode(e.value, RunStarted.class);
        } catch (UnreadableRecordException ex) {
            rejected.event(ctx, e, ex.getMessage(), null);
            return;
        }
        String hash = RunSpecs.configHash(s.getSpec());
        if (existing != null) {
            if (!existing.configHash.equals(hash)) {
                rejected.event(ctx, e, "run '" + e.runId + "' was already started with config " + existing.configHash
                        + "; a run id cannot be reused with another spec (" + hash + ")", hash);
            }
            return;
        }
        List<String> problems = RunSpecs.problems(s.getSpec());
        if (e.sequence != 0 || !hash.equals(s.getHeader().getConfigHash()) || !problems.isEmpty()) {
            rejected.event(ctx, e, "invalid RunStarted: sequence " + e.sequence + " (must be 0), config hash "
                    + s.getHeader().getConfigHash() + " (computed " + hash + ")" + (problems.isEmpty() ? "" : ", "
                    + String.join("; ", problems)), hash);
            return;
        }
        RunControl c = new RunControl();
        c.runStarted = e.value;
        c.configHash = hash;
        c.lastSequence = 0;
        for (RunBatch b : state.takeEarly()) {
            accept(c, b, ctx, out);
        }
        progress(c, ctx, out);
        state.save(c);
    }

    private RunSpec spec(RunControl c) throws UnreadableRecordException {
        return codec.decode(c.runStarted, RunStarted.class).getSpec();
    }

    private LiveRun live(RunControl c, String runId) throws Exception {
        Optional<LiveRun> r = live.find(runId);
        return r.isPresent() ? r.get() : live.create(c, spec(c), runId);
    }
}
