package org.ocsp.flink.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.job.deadletter.RejectedInput;
import org.ocsp.flink.job.kafka.BatchReader;
import org.ocsp.flink.job.metrics.RunMetrics;
import org.ocsp.flink.job.metrics.TrainerMetrics;
import org.ocsp.flink.job.resources.ComputeDevice;
import org.ocsp.flink.job.resources.TrainerThreads;
import org.ocsp.flink.job.run.BatchShapeCheck;
import org.ocsp.flink.job.run.Decision;
import org.ocsp.flink.job.run.DecisionShape;
import org.ocsp.flink.job.run.EpochCompletion;
import org.ocsp.flink.job.run.EpochGate;
import org.ocsp.flink.job.run.LiveRun;
import org.ocsp.flink.job.run.LoggedDecisions;
import org.ocsp.flink.job.run.ModelPublisher;
import org.ocsp.flink.job.run.RunFault;
import org.ocsp.flink.job.run.RunLifecycle;
import org.ocsp.flink.job.run.ScoresCodec;
import org.ocsp.flink.job.run.WaitingBatches;
import org.ocsp.flink.job.state.LiveRuns;
import org.ocsp.flink.job.state.TrainerState;
import org.ocsp.flink.job.state.WaitQueue;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.engine.CpuFeatures;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.train.MemoryEstimate;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.control.RunStopRequested;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * The keyed trainer (key = run id): a thin shell around {@link org.ocsp.modelops.train.TrainingSession}.
 * Input 1: the run's batches; input 2: the run's events read back from the log (read_committed).
 *
 * <p>Determinism rule: epoch t+1 is not trained before the decision for it has been read from the
 * log and applied ({@link EpochGate}); batches that arrive earlier wait in a {@link WaitQueue} (in
 * memory, with their topic addresses in keyed state; drained a few batches per call). What to do
 * with each input is the run's {@link RunLifecycle}'s to say; it changes only by log events
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
    private final long runMemoryBytes;
    private final long decisionWaitLimitMillis;

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
     * @param runMemoryBytes the most one run may need to train ({@link MemoryEstimate}); a run that
     *     needs more is refused when it starts instead of failing the task when its model is built
     * @param decisionWaitLimitMillis how long a run may wait for a decision before it ends as FAILED
     */
    public Trainer(DeadLetters deadLetters, String modelDir, BatchReader batchReader, long waitingBatchBytes,
                   long runMemoryBytes, long decisionWaitLimitMillis) {
        this.decisionWaitLimitMillis = decisionWaitLimitMillis;
        this.deadLetters = deadLetters;
        this.modelDir = modelDir;
        this.batchReader = batchReader;
        this.waitingBatchBytes = waitingBatchBytes;
        this.runMemoryBytes = runMemoryBytes;
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

    /** Runs this task holds in memory (models, gauges): only the live ones, whatever ended before. */
    int runsInMemory() {
        return Math.max(live.count(), metrics.runsWithGauges());
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
        Optional<RunLifecycle> found = state.run();
        if (found.isEmpty()) {
            state.holdEarly(b); // RunStarted is on its way through the control input
            return;
        }
        RunLifecycle run = found.get();
        if (b.rejection != null) {
            refuse(run, b, ctx, out);
            state.save(run);
            return;
        }
        try {
            accept(run, b, ctx, out);
            progress(run, ctx, out);
        } catch (RunFault f) {
            fail(run, ctx, out, f);
        }
        state.save(run);
    }

    private void accept(RunLifecycle run, RunBatch b, Context ctx, Collector<TrainerOutput> out) throws Exception {
        RunSpec spec = spec(run, ctx.getCurrentKey());
        RunLifecycle.Arrival a = run.arrive(b, run.finished() ? Optional.empty() : BatchShapeCheck.problem(spec, b),
                spec.getEpochsPlanned());
        if (a.startsRun()) {
            emitStart(run, b, ctx, out);
        }
        switch (a.route()) {
            case REJECT:
                rejected.batch(ctx, run, b, a.reason());
                break;
            case IGNORE_BEFORE_START:
                metrics.batchesBeforeRunStart.inc(); // joined mid-epoch: the run starts at the next dataset epoch
                break;
            case CONSUME:
                consume(run, b, ctx, out);
                break;
            case WAIT:
                queue.add(run, ctx.getCurrentKey(), b);
                break;
            case IGNORE_FINISHED:
                metrics.batchesAfterRunEnd.inc(); // the run published its model, stopped or failed
                break;
            case IGNORE_BEYOND_PLAN:
                metrics.batchesBeyondPlan.inc();
                break;
            default:
                throw new IllegalStateException("Unhandled route " + a.route());
        }
    }

    private void emitStart(RunLifecycle run, RunBatch first, Context ctx, Collector<TrainerOutput> out) throws Exception {
        LiveRun r = live(run, ctx.getCurrentKey());
        TrainerOutput o = new TrainerOutput();
        o.runId = ctx.getCurrentKey();
        o.kind = TrainerOutput.Kind.START;
        o.runStarted = run.runStarted();
        o.datasetEpoch = first.epoch;
        if (r.spec.getStability().getMonitorStart() <= 0) {
            o.scores = ScoresCodec.toBytes(r.session.saliency());
        }
        out.collect(o);
    }

    private void consume(RunLifecycle run, RunBatch b, Context ctx, Collector<TrainerOutput> out) throws Exception {
        RunLifecycle.Consumed c = run.consume(b);
        switch (c.step()) {
            case END_EPOCH:
                if (c.reason() != null) {
                    rejected.batch(ctx, run, b, c.reason());
                }
                finishEpoch(run, ctx, out);
                break;
            case REJECT:
                rejected.batch(ctx, run, b, c.reason());
                break;
            default: {
                LiveRun r = live(run, ctx.getCurrentKey());
                try {
                    r.step(b);
                } catch (RunFault f) {
                    rejected.batch(ctx, run, b, "run FAILED: " + f.getMessage());
                    throw f;
                }
                RunMetrics m = metrics.run(ctx.getCurrentKey());
                m.loss = r.train.meanLoss();
                m.accuracy = r.train.accuracy();
            }
        }
    }

    /**
     * Applies decisions and drains waiting batches as far as the log allows, at most
     * {@link #BATCHES_PER_CALL} per call: a timer continues, so checkpoint barriers and
     * cancellation get through between batches even when a whole epoch is waiting.
     */
    private void progress(RunLifecycle run, Context ctx, Collector<TrainerOutput> out) throws Exception {
        int monitorStart = spec(run, ctx.getCurrentKey()).getStability().getMonitorStart();
        int budget = BATCHES_PER_CALL;
        while (!run.finished() && run.started()) {
            if (!run.decisionApplied()) {
                if (run.waitingForDecision(monitorStart)) {
                    awaitDecision(run, ctx);
                    return;
                }
                EpochGate.open(run, live(run, ctx.getCurrentKey()), metrics.run(ctx.getCurrentKey()));
            }
            if (run.queueEmpty()) {
                return;
            }
            if (budget == 0) {
                ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime());
                return;
            }
            BatchAddress head = queue.head(run, ctx.getCurrentKey());
            int runEpoch = run.runEpochOf(head.epoch);
            if (runEpoch > run.epoch()) {
                return; // the current epoch's EpochEnd has not arrived yet
            }
            Optional<RunBatch> waiting = queue.take(run, ctx.getCurrentKey());
            if (waiting.isEmpty()) {
                rejected.unreadable(ctx, run, head, "waiting batch " + head + " could not be read again from Kafka: no "
                        + "longer in the log (deleted by retention?), unreadable, or another record than the one stored "
                        + "there; the epoch goes on without it");
                continue;
            }
            RunBatch b = waiting.get();
            if (runEpoch < run.epoch()) {
                rejected.batch(ctx, run, b, "epoch out of order: " + b.describe() + " (run epoch " + runEpoch
                        + ") is older than the run's epoch " + run.epoch());
            } else {
                consume(run, b, ctx, out);
                budget--;
            }
        }
    }

    /**
     * Notes when the run began to wait for its decision and arms a timer for the limit; past the
     * limit the decision is taken as lost (a MaskSnapshot in an aborted transaction, a stability
     * operator that could not decide) and the run fails instead of waiting forever.
     */
    private void awaitDecision(RunLifecycle run, Context ctx) throws RunFault {
        RunMetrics m = metrics.run(ctx.getCurrentKey());
        long now = ctx.timerService().currentProcessingTime();
        if (m.waitingSinceMillis == 0) {
            m.waitingSinceMillis = now;
            ctx.timerService().registerProcessingTimeTimer(now + decisionWaitLimitMillis);
        } else if (now - m.waitingSinceMillis >= decisionWaitLimitMillis) {
            throw new RunFault(RunFault.Stage.DECISION, "no decision for epoch " + run.epoch() + " arrived within "
                    + (now - m.waitingSinceMillis) / 1000 + " s (" + JobSettingDef.DECISION_WAIT_LIMIT_MS + " "
                    + decisionWaitLimitMillis + "): its MaskSnapshot was lost (an aborted transaction?) or the stability "
                    + "operator could not make it", null, null);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainerOutput> out) throws Exception {
        Optional<RunLifecycle> found = state.run();
        if (found.isEmpty()) {
            return;
        }
        try {
            progress(found.get(), ctx, out);
        } catch (RunFault f) {
            fail(found.get(), ctx, out, f);
        }
        state.save(found.get());
    }

    private void finishEpoch(RunLifecycle run, Context ctx, Collector<TrainerOutput> out) throws Exception {
        String runId = ctx.getCurrentKey();
        LiveRun r = live(run, runId);
        TrainerOutput o = EpochCompletion.complete(run, r, metrics.run(runId));
        out.collect(o);
        if (o.last) {
            out.collect(ModelPublisher.publish(modelDir, runId, run, r.spec, r.session, o));
            release(run, runId);
            return;
        }
        EpochCompletion.advance(run, r);
    }

    // ---------------------------------------------------------------- input 2: the event log

    @Override
    public void processElement2(ControlEvent e, Context ctx, Collector<TrainerOutput> out) throws Exception {
        RunLifecycle run = state.run().orElse(null);
        if (e.type == RecordType.RUN_STARTED) {
            onRunStarted(run, e, ctx, out);
            return;
        }
        if (run == null) {
            return; // event for an unknown run: RunFanOut dead-letters it
        }
        if (e.type == RecordType.RUN_STOP_REQUESTED) {
            stop(run, e, ctx, out);
            state.save(run);
            return;
        }
        Optional<String> outOfOrder = run.outOfOrder(e.sequence);
        if (outOfOrder.isPresent()) {
            rejected.event(ctx, e, "out of order: " + e.type + " " + outOfOrder.get() + " for run '" + e.runId + "'",
                    run.configHash());
            return;
        }
        if (run.startedByAnEarlierJob()) {
            // Resuming it needs that job's checkpoint: left alone instead of training it a second time.
            LOG.warn("Run {} already has events from an earlier job in the log ({} sequence {}); it is not resumed "
                    + "without that job's checkpoint", e.runId, e.type, e.sequence);
            metrics.runsFromEarlierJobs.inc();
            run.finish();
            queue.clear(ctx.getCurrentKey());
        }
        Decision d;
        try {
            d = LoggedDecisions.decode(e, codec);
        } catch (UnreadableRecordException ex) { // anything else from decoding is a bug and fails the job
            rejected.event(ctx, e, "cannot apply " + e.type + ": " + ex.getMessage(), run.configHash());
            state.save(run);
            return;
        }
        RunSpec spec = spec(run, ctx.getCurrentKey());
        Optional<String> unfit = DecisionShape.problem(d, () -> ChannelGroups.derive(RunSpecs.graph(spec)));
        if (unfit.isPresent()) {
            rejected.event(ctx, e, "cannot apply " + e.type + ": " + unfit.get(), run.configHash());
            return;
        }
        run.decide(e.sequence, d instanceof Decision.None ? null : EventChain.hash(e.value), d);
        try {
            progress(run, ctx, out);
        } catch (RunFault f) {
            fail(run, ctx, out, f);
        }
        state.save(run);
    }

    private void onRunStarted(RunLifecycle existing, ControlEvent e, Context ctx, Collector<TrainerOutput> out)
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
            if (!existing.configHash().equals(hash)) {
                rejected.event(ctx, e, "run '" + e.runId + "' was already started with config " + existing.configHash()
                        + "; a run id cannot be reused with another spec (" + hash + ")", hash);
            } else {
                metrics.duplicateRunStarted.inc();
            }
            return;
        }
        List<String> problems = new ArrayList<>(RunSpecs.problems(s.getSpec()));
        if (problems.isEmpty()) {
            memoryProblem(s.getSpec()).ifPresent(problems::add);
        }
        if (e.sequence != 0 || !hash.equals(s.getHeader().getConfigHash()) || !problems.isEmpty()) {
            rejected.event(ctx, e, "invalid RunStarted: sequence " + e.sequence + " (must be 0), config hash "
                    + s.getHeader().getConfigHash() + " (computed " + hash + ")" + (problems.isEmpty() ? "" : ", "
                    + String.join("; ", problems)), hash);
            return;
        }
        RunLifecycle run = RunLifecycle.join(e.value, hash);
        try {
            for (RunBatch b : state.takeEarly()) {
                if (b.rejection != null) {
                    refuse(run, b, ctx, out);
                } else {
                    accept(run, b, ctx, out);
                }
            }
            progress(run, ctx, out);
        } catch (RunFault f) {
            fail(run, ctx, out, f);
        }
        state.save(run);
    }

    /** The fan-out refused the run (the active-run limit): it ends before training, with RunRejected in its log. */
    private void refuse(RunLifecycle run, RunBatch refusal, Context ctx, Collector<TrainerOutput> out) throws Exception {
        if (run.finished() || run.started()) {
            return; // the fan-out never feeds a refused run, so it cannot have started; a repeat is ignored
        }
        String runId = ctx.getCurrentKey();
        LOG.warn("Run {} refused: {}", runId, refusal.rejection);
        TrainerOutput o = new TrainerOutput();
        o.runId = runId;
        o.kind = TrainerOutput.Kind.REJECTED;
        o.runStarted = run.runStarted();
        o.failureReason = refusal.rejection;
        o.activeRuns = refusal.rejectionActiveRuns;
        o.runLimit = refusal.rejectionLimit;
        out.collect(o);
        metrics.runsRejected.inc();
        release(run, runId);
    }

    /**
     * {@code ocsp run stop}: the run stops consuming now, publishes its model as it stands (manifest
     * and ModelPublished marked STOPPED, with who asked and why) and releases its state.
     */
    private void stop(RunLifecycle run, ControlEvent e, Context ctx, Collector<TrainerOutput> out) throws Exception {
        String runId = ctx.getCurrentKey();
        if (run.finished()) {
            metrics.stopsAfterRunEnd.inc();
            return;
        }
        RunStopRequested request;
        try {
            request = codec.decode(e.value, RunStopRequested.class);
        } catch (UnreadableRecordException ex) {
            rejected.event(ctx, e, ex.getMessage(), run.configHash());
            return;
        }
        String reason = "stopped by " + request.getRequestedBy() + " at " + request.getRequestedAt()
                + (request.getReason() == null ? "" : ": " + request.getReason());
        if (!run.started()) {
            // Nothing trained, nothing to publish: the run's log would end without a model.
            rejected.event(ctx, e, "run '" + runId + "' has not started training yet (it starts with the next dataset "
                    + "epoch), so there is no model to publish; the stop request is not applied", run.configHash());
            return;
        }
        LiveRun r;
        try {
            r = live(run, runId);
        } catch (RunFault f) {
            fail(run, ctx, out, f);
            return;
        }
        LOG.info("Run {} {} in epoch {}", runId, reason, run.epoch());
        TrainerOutput published = ModelPublisher.publishStopped(modelDir, runId, run, r, reason);
        out.collect(published);
        metrics.runsStopped.inc();
        release(run, runId);
    }

    /**
     * Ends the run as FAILED: the stability operator logs RunFailed, the run's model, queue and
     * metrics are released, and its later batches and events are dropped; other runs go on.
     */
    private void fail(RunLifecycle run, Context ctx, Collector<TrainerOutput> out, RunFault f) throws Exception {
        String runId = ctx.getCurrentKey();
        LOG.warn("Run {} FAILED in stage {} at epoch {}: {}", runId, f.stage().logName(), run.epoch(), f.getMessage());
        metrics.runsFailed.inc();
        TrainerOutput o = new TrainerOutput();
        o.runId = runId;
        o.kind = TrainerOutput.Kind.FAILED;
        o.epoch = run.epoch();
        o.step = live.find(runId).map(r -> r.session.iteration()).orElse(0L);
        o.runStarted = run.runStarted(); // a run that failed while starting has no state in the stability operator yet
        o.failureStage = f.stage().logName();
        o.failureReason = f.getMessage();
        o.failureInput = f.input().orElse(null);
        out.collect(o);
        release(run, runId);
    }

    /**
     * A run that ended (published, stopped or failed) keeps only its small control tombstone: its
     * model tensors, waiting batches, native memory and gauges go, so a job that served many runs
     * holds only the live ones.
     */
    private void release(RunLifecycle run, String runId) throws Exception {
        run.finish();
        state.dropModel();
        queue.clear(runId);
        live.end(runId);
        metrics.end(runId);
    }

    private Optional<String> memoryProblem(RunSpec spec) {
        try {
            MemoryEstimate m = MemoryEstimate.of(RunSpecs.graph(spec), spec.getBatchSize());
            return m.totalBytes() <= runMemoryBytes ? Optional.empty() : Optional.of("training it needs about "
                    + m.describe() + ", more than " + JobSettingDef.RUN_MEMORY_MB + " allows (" + (runMemoryBytes >> 20)
                    + " MiB)");
        } catch (ArithmeticException e) {
            return Optional.of("training it needs more memory than a long counts, more than " + JobSettingDef.RUN_MEMORY_MB
                    + " allows (" + (runMemoryBytes >> 20) + " MiB)");
        }
    }

    // The live run holds the decoded spec; only before its first batch (or after a restore) is it decoded again.
    private RunSpec spec(RunLifecycle run, String runId) throws UnreadableRecordException {
        Optional<LiveRun> r = live.find(runId);
        return r.isPresent() ? r.get().spec : codec.decode(run.runStarted(), RunStarted.class).getSpec();
    }

    private LiveRun live(RunLifecycle run, String runId) throws Exception {
        Optional<LiveRun> r = live.find(runId);
        return r.isPresent() ? r.get() : live.create(run, spec(run, runId), runId);
    }
}
