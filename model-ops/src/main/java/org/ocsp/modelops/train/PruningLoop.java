package org.ocsp.modelops.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.EpochBatches;
import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.stability.StabilityTracker;

/**
 * The complete one-cycle OCSPruner run offline: at the start of every epoch a decision
 * (sub-network, similarity, stability, penalty), then TRAIN batches, then EVAL batches, and at
 * t* the surgery; fine-tuning continues to the last epoch. With {@code prune=false} it trains
 * the dense baseline with the same data and steps.
 *
 * <pre>{@code
 * PruningLoop loop = new PruningLoop(graph, settings, stability, 0.5, PruningLimit.reference(), true);
 * List<EpochReport> reports = loop.run(sequence, 30, listener);
 * }</pre>
 */
public final class PruningLoop {
    private final NetworkGraph graph;
    private final TrainingSettings settings;
    private final StabilityConfig stability;
    private final double target;
    private final PruningLimit limit;
    private final boolean prune;
    private TrainingSession session;

    public PruningLoop(NetworkGraph graph, TrainingSettings settings, StabilityConfig stability, double targetReduction,
                       PruningLimit limit, boolean prune) {
        this.graph = graph;
        this.settings = settings;
        this.stability = stability;
        this.target = targetReduction;
        this.limit = limit;
        this.prune = prune;
    }

    /** Runs epochs 0..epochs-1; the session stays open afterwards for saving (close it). */
    public List<EpochReport> run(BatchSequence data, int epochs, EpochListener listener) {
        session = TrainingSession.create(graph, settings);
        StabilityTracker tracker = StabilityTracker.start(stability);
        EpochDecider decider = new EpochDecider(graph, session.groups(), target, limit, tracker);
        float[] x = new float[data.batchSize() * data.featuresPerSample()];
        int[] y = new int[data.batchSize()];
        List<EpochReport> reports = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            EpochDecision d = prune ? decider.decide(epoch, session::saliency) : EpochDecision.dense(epoch);
            listener.onDecision(d);
            if (d.regularizationActive() && d.mask().isPresent()) {
                session.setPenalty(d.mask().get(), d.lambda().orElse(0));
            } else if (!session.isPruned()) {
                session.clearPenalty();
            }
            EpochBatches batches = data.batches(epoch);
            long start = System.nanoTime();
            double loss = 0;
            long correct = 0;
            long seen = 0;
            int trainCount = batches.batchCount(Split.TRAIN);
            for (int i = 0; i < trainCount; i++) {
                int n = batches.fill(Split.TRAIN, i, x, y);
                StepResult r = session.trainBatch(x, y, n);
                loss += r.loss() * n;
                correct += r.correct();
                seen += n;
                listener.onBatch(epoch, Split.TRAIN, i, trainCount, r);
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double lr = session.learningRate();
            double testLoss = 0;
            long testCorrect = 0;
            long testSeen = 0;
            int evalCount = batches.batchCount(Split.EVAL);
            for (int i = 0; i < evalCount; i++) {
                int n = batches.fill(Split.EVAL, i, x, y);
                StepResult r = session.evalBatch(x, y, n);
                testLoss += r.loss() * n;
                testCorrect += r.correct();
                testSeen += n;
                listener.onBatch(epoch, Split.EVAL, i, evalCount, r);
            }
            Optional<PruneResult> pruning = Optional.empty();
            if (d.pruneAtEndOfEpoch()) {
                pruning = Optional.of(session.prune(d.mask().orElseThrow()));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            EpochReport report = new EpochReport(epoch, d, loss / Math.max(1, seen), (double) correct / Math.max(1, seen),
                    testLoss / Math.max(1, testSeen), (double) testCorrect / Math.max(1, testSeen), lr, session.flops(),
                    session.parameterCount(), seen / Math.max(1e-9, trainSeconds), millis, pruning);
            reports.add(report);
            listener.onEpoch(report);
        }
        return reports;
    }

    /** The session of the last run (open until closed). */
    public TrainingSession session() {
        return session;
    }
}
