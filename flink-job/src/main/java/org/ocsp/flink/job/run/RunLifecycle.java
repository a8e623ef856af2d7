package org.ocsp.flink.job.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.flink.job.RunBatch;

/**
 * One run's lifecycle in the trainer, as a state machine with named transitions: {@link #join}
 * (its RunStarted), {@link #arrive} and {@link #consume} (a batch), {@link #openEpoch} (the
 * epoch's decision applied), {@link #endEpoch} (t* prunes here), {@link #advance} and
 * {@link #finish}, and {@link #decide} (a decision from the log). It knows nothing of Flink: the
 * operator keeps state access, timers, side outputs and the model, asks this class what to do
 * with each input and does it. {@link #progress()} is the immutable value the checkpoint keeps.
 *
 * <p>Determinism rule: epoch t+1 is not trained before its decision has been read from the log
 * and applied; batches that arrive earlier are told to wait.
 */
public final class RunLifecycle {
    private final byte[] runStarted;
    private final String configHash;
    private long lastSequence;
    private Optional<Integer> startDatasetEpoch;
    private Optional<Integer> trainBatchesPerEpoch;
    private int epoch;
    private boolean decisionApplied;
    private boolean finished;
    private int trainSeen;
    private int evalSeen;
    private Optional<Long> lastOffset;
    private Optional<Integer> regularizationStart;
    private final TreeMap<Integer, Double> lambdas;
    private final TreeMap<Integer, Map<String, int[]>> masks;
    private Optional<Integer> pruneEpoch;
    private Map<String, int[]> pruneMask;
    private boolean pruned;
    private long queueHead;
    private long queueTail;
    private Optional<String> lastDecisionHash;
    private Optional<Integer> streamEpoch;

    private RunLifecycle(RunProgress p) {
        runStarted = p.runStarted();
        configHash = p.configHash();
        lastSequence = p.lastSequence();
        startDatasetEpoch = p.startDatasetEpoch();
        trainBatchesPerEpoch = p.trainBatchesPerEpoch();
        epoch = p.epoch();
        decisionApplied = p.decisionApplied();
        finished = p.finished();
        trainSeen = p.trainSeen();
        evalSeen = p.evalSeen();
        lastOffset = p.lastOffset();
        regularizationStart = p.regularizationStart();
        lambdas = new TreeMap<>(p.lambdas());
        masks = new TreeMap<>(p.masks());
        pruneEpoch = p.pruneEpoch();
        pruneMask = p.pruneMask();
        pruned = p.pruned();
        queueHead = p.queueHead();
        queueTail = p.queueTail();
        lastDecisionHash = p.lastDecisionHash();
        streamEpoch = p.streamEpoch();
    }

    /** Join: the run's RunStarted (sequence 0) has been read and checked. */
    public static RunLifecycle join(byte[] runStarted, String configHash) {
        return new RunLifecycle(RunProgress.joined(runStarted, configHash));
    }

    /** The run as the checkpoint left it. */
    public static RunLifecycle resume(RunProgress p) {
        return new RunLifecycle(p);
    }

    /** The immutable value for the checkpoint. */
    public RunProgress progress() {
        return new RunProgress(runStarted, configHash, lastSequence, startDatasetEpoch, trainBatchesPerEpoch, epoch,
                decisionApplied, finished, trainSeen, evalSeen, lastOffset, regularizationStart, lambdas, masks, pruneEpoch,
                pruneMask, pruned, queueHead, queueTail, lastDecisionHash, streamEpoch);
    }

    // ---------------------------------------------------------------- batches

    /** What to do with an arriving batch. */
    public enum Route {
        /** The run is over (or left to an earlier job): nothing more is trained. */
        IGNORE_FINISHED,
        /** A batch of the dataset epoch in progress when the run joined: the run starts at the next one. */
        IGNORE_BEFORE_START,
        /** Beyond the epochs the spec plans. */
        IGNORE_BEYOND_PLAN,
        /** Dead-letter it with {@link Arrival#reason()}. */
        REJECT,
        /** Train (or end the epoch with) it now: {@link #consume}. */
        CONSUME,
        /** Its epoch's decision is not applied yet, or batches before it wait: {@link #enqueue}. */
        WAIT
    }

    /**
     * How many epochs past the current one a batch may be and still wait, while the stream's epoch
     * is not known (state restored from a build that did not keep it). A publisher may well run
     * many epochs ahead of training (its batches wait, spilling to re-reads from Kafka), so the
     * bound only catches strays. Once the stream's epoch is known, a batch must be of exactly that
     * epoch. Batches past a run's plan are ignored.
     */
    static final int MAX_EPOCHS_AHEAD = 1000;

    /** The route of an arriving batch; {@code startsRun} when it was the run's first batch. */
    public record Arrival(Route route, boolean startsRun, String reason) {
        static Arrival of(Route r, boolean startsRun) {
            return new Arrival(r, startsRun, null);
        }

        static Arrival rejected(String reason) {
            return new Arrival(Route.REJECT, false, reason);
        }
    }

    /**
     * A batch arrives from the batches topic. The first batch of a dataset epoch starts the run
     * (its epoch becomes run epoch 0 and its batchCount the schedule's batches per epoch).
     *
     * @param shapeProblem what is wrong with the batch's shape for this run's spec, if anything
     * @param epochsPlanned the spec's planned epochs, or null for an open-ended run
     */
    public Arrival arrive(RunBatch b, Optional<String> shapeProblem, Integer epochsPlanned) {
        if (finished) {
            return Arrival.of(Route.IGNORE_FINISHED, false);
        }
        if (shapeProblem.isPresent()) {
            return Arrival.rejected("wrong shape: " + shapeProblem.get());
        }
        boolean starts = false;
        if (startDatasetEpoch.isEmpty()) {
            if (b.epochEnd || b.eval || b.index != 0) {
                return Arrival.of(Route.IGNORE_BEFORE_START, false);
            }
            if (b.batchCount == null) {
                return Arrival.rejected("the first batch of a run must carry batchCount (the schedule needs it)");
            }
            startDatasetEpoch = Optional.of(b.epoch);
            trainBatchesPerEpoch = Optional.of(b.batchCount);
            epoch = 0;
            streamEpoch = Optional.of(0);
            starts = true;
        }
        int runEpoch = runEpochOf(b.epoch);
        if (runEpoch < epoch) {
            return new Arrival(Route.REJECT, starts, "epoch out of order: " + b.describe() + " (run epoch " + runEpoch
                    + ") arrived while the run is at epoch " + epoch);
        }
        if (epochsPlanned != null && runEpoch >= epochsPlanned) {
            return Arrival.of(Route.IGNORE_BEYOND_PLAN, starts);
        }
        if (streamEpoch.isPresent() && runEpoch != streamEpoch.get()) {
            // On the one-partition batches topic an epoch's batches come after the EpochEnd of the one
            // before and before their own: anything else is a stray, and queued it would hold up every
            // batch behind it until its epoch came (forever, for one far ahead).
            int s = streamEpoch.get();
            return new Arrival(Route.REJECT, starts, (runEpoch < s
                    ? "epoch out of order: " + b.describe() + " (run epoch " + runEpoch + ") arrived after its epoch's "
                    + "EpochEnd"
                    : "ahead of the stream: " + b.describe() + " (run epoch " + runEpoch + ") arrived before the "
                    + "EpochEnd of run epoch " + (runEpoch - 1))
                    + "; the stream is at run epoch " + s + ", the run at epoch " + epoch);
        }
        if (streamEpoch.isEmpty() && runEpoch > epoch + MAX_EPOCHS_AHEAD) {
            // State from before the stream's epoch was kept: only a bound catches strays until it is learnt.
            return new Arrival(Route.REJECT, starts, "too far ahead: " + b.describe() + " (run epoch " + runEpoch
                    + ") arrived while the run is at epoch " + epoch + "; batches at most " + MAX_EPOCHS_AHEAD
                    + " epochs ahead may wait");
        }
        streamEpoch = Optional.of(b.epochEnd ? runEpoch + 1 : runEpoch);
        boolean now = queueEmpty() && runEpoch == epoch && decisionApplied;
        return Arrival.of(now ? Route.CONSUME : Route.WAIT, starts);
    }

    /** What consuming a batch of the current epoch means. */
    public enum Step {
        /** Train on it (counted already). */
        TRAIN,
        /** Evaluate on it (counted already). */
        EVAL,
        /** The epoch's end marker: complete the epoch ({@link #endEpoch}); a count mismatch is reported but the epoch ends. */
        END_EPOCH,
        /** Out of order within the epoch: dead-letter it, the epoch goes on. */
        REJECT
    }

    /** The outcome of {@link #consume}; {@code reason} for REJECT and for an END_EPOCH whose counts disagree. */
    public record Consumed(Step step, String reason) {
    }

    /** A batch of the current epoch, in its turn (from {@link #arrive} or from the wait queue). */
    public Consumed consume(RunBatch b) {
        if (b.epochEnd) {
            String mismatch = b.trainBatches != trainSeen || b.evalBatches != evalSeen
                    ? "EpochEnd of dataset epoch " + b.epoch + " announces " + b.trainBatches + " TRAIN and "
                    + b.evalBatches + " EVAL batches, the run received " + trainSeen + " and " + evalSeen
                    + " (the epoch ends with what was received)"
                    : null;
            lastOffset = Optional.of(b.offset);
            return new Consumed(Step.END_EPOCH, mismatch);
        }
        boolean inOrder = b.eval ? b.index == evalSeen : b.index == trainSeen && evalSeen == 0;
        if (!inOrder) {
            return new Consumed(Step.REJECT, "out of order: " + b.describe() + " while the run expects "
                    + (evalSeen == 0 ? "TRAIN batch " + trainSeen + " or EVAL batch 0" : "EVAL batch " + evalSeen));
        }
        if (b.eval) {
            evalSeen++;
        } else {
            trainSeen++;
        }
        lastOffset = Optional.of(b.offset);
        return new Consumed(b.eval ? Step.EVAL : Step.TRAIN, null);
    }

    /** The run epoch of a dataset epoch; the run must have started. */
    public int runEpochOf(int datasetEpoch) {
        return datasetEpoch - startDatasetEpoch.orElseThrow();
    }

    // ---------------------------------------------------------------- the wait queue's keys

    public boolean queueEmpty() {
        return queueHead == queueTail;
    }

    /** A batch joins the queue: its key. */
    public long enqueue() {
        return queueTail++;
    }

    /** The key of the first waiting batch. */
    public long queueHead() {
        return queueHead;
    }

    public long queueTail() {
        return queueTail;
    }

    /** The first waiting batch leaves the queue. */
    public void dequeue() {
        if (queueEmpty()) {
            throw new IllegalStateException("The wait queue is empty");
        }
        queueHead++;
    }

    /** Every waiting batch is dropped. */
    void clearQueue() {
        queueHead = queueTail;
    }

    // ---------------------------------------------------------------- epochs

    /** Whether the current epoch still waits for its decision from the log. */
    public boolean waitingForDecision(int monitorStart) {
        return !decisionApplied && !pruned && epoch >= monitorStart && !masks.containsKey(epoch);
    }

    /** The decision that opens an epoch: a penalty on a mask with a strength, none, or (after surgery) nothing. */
    public record EpochDecision(int epoch, Optional<SubnetworkMask> penaltyMask, boolean regularized, double lambda, boolean pruned) {
    }

    /**
     * The current epoch's decision is applied: its batches may train. Masks of earlier epochs are
     * no longer needed. Also what a restore re-applies to a fresh session ({@link #currentDecision}).
     */
    EpochDecision openEpoch() {
        if (finished) {
            throw new IllegalStateException("Run is finished");
        }
        decisionApplied = true;
        masks.headMap(epoch).clear();
        return currentDecision();
    }

    /** The decision in force for the current epoch. */
    EpochDecision currentDecision() {
        boolean penalised = !pruned && regularizedAt(epoch) && masks.containsKey(epoch);
        boolean regularized = regularizedAt(epoch);
        return new EpochDecision(epoch, penalised ? Optional.of(mask(masks.get(epoch))) : Optional.empty(), regularized,
                regularized ? lambdaAt(epoch) : 0, pruned);
    }

    /** The current epoch's end marker was consumed; true when t* is this epoch: prune the model now. */
    boolean endEpoch() {
        boolean prune = pruneEpoch.isPresent() && pruneEpoch.get() == epoch && !pruned;
        if (prune) {
            pruned = true;
        }
        return prune;
    }

    /** The next epoch, which waits for its decision. */
    void advance() {
        epoch++;
        trainSeen = 0;
        evalSeen = 0;
        decisionApplied = false;
    }

    /**
     * The run is over: its last epoch ended, it was stopped or it failed, or an earlier job trained
     * it. Nothing more trains; the queue and the decision history are dropped.
     */
    public void finish() {
        finished = true;
        clearQueue();
        // What is left is a small tombstone: enough to refuse the id with another spec and to drop what still comes.
        masks.clear();
        lambdas.clear();
        pruneMask = Map.of();
    }

    // ---------------------------------------------------------------- the event log

    /** Why an event after RunStarted is not applied, if it is not. */
    public Optional<String> outOfOrder(long sequence) {
        return sequence == lastSequence + 1 ? Optional.empty()
                : Optional.of("with sequence " + sequence + ", expected sequence " + (lastSequence + 1));
    }

    /**
     * Whether an event after RunStarted shows that an earlier job trained this run: only this
     * job's stability operator writes such events, and only once the run has started here.
     */
    public boolean startedByAnEarlierJob() {
        return startDatasetEpoch.isEmpty() && !finished;
    }

    /**
     * A decision read back from the log, with its sequence (in order: {@link #outOfOrder} said so)
     * and the SHA-256 (hex) of the event's logged bytes (kept for a decision; null for a record).
     */
    public void decide(long sequence, String eventHash, Decision d) {
        if (finished) {
            lastSequence = sequence; // the run is over: its last events are only counted
            return;
        }
        if (d instanceof Decision.Mask m) {
            masks.put(m.epoch(), m.kept());
        } else if (d instanceof Decision.RegularizationStarted r) {
            regularizationStart = Optional.of(r.epoch());
        } else if (d instanceof Decision.Penalty p) {
            lambdas.put(p.epoch(), p.lambda());
        } else if (d instanceof Decision.Prune p) {
            pruneEpoch = Optional.of(p.tStar());
            pruneMask = p.kept();
        }
        if (!(d instanceof Decision.None)) {
            lastDecisionHash = Optional.of(eventHash);
        }
        lastSequence = sequence;
    }

    // ---------------------------------------------------------------- queries

    public byte[] runStarted() {
        return runStarted;
    }

    /**
     * SHA-256 (hex) of the last decision event applied, the point of the run's event chain the
     * model follows from; empty before the first. Every decision is applied before the last
     * epoch trains, so a replay publishes the same value.
     */
    public Optional<String> lastDecisionHash() {
        return lastDecisionHash;
    }

    public String configHash() {
        return configHash;
    }

    public boolean started() {
        return startDatasetEpoch.isPresent();
    }

    int startDatasetEpoch() {
        return startDatasetEpoch.orElseThrow();
    }

    public int trainBatchesPerEpoch() {
        return trainBatchesPerEpoch.orElseThrow();
    }

    public int epoch() {
        return epoch;
    }

    public boolean decisionApplied() {
        return decisionApplied;
    }

    public boolean finished() {
        return finished;
    }

    public boolean pruned() {
        return pruned;
    }

    Optional<Integer> pruneEpoch() {
        return pruneEpoch;
    }

    public SubnetworkMask pruneMask() {
        return mask(pruneMask);
    }

    Optional<Long> lastOffset() {
        return lastOffset;
    }

    public double lambdaAt(int t) {
        Map.Entry<Integer, Double> e = lambdas.floorEntry(t);
        return e == null ? 0 : e.getValue();
    }

    boolean regularizedAt(int t) {
        return !pruned && regularizationStart.isPresent() && regularizationStart.get() <= t;
    }

    private static SubnetworkMask mask(Map<String, int[]> kept) {
        SubnetworkMask.Builder b = SubnetworkMask.builder();
        new LinkedHashMap<>(kept).forEach(b::put);
        return b.build();
    }
}
