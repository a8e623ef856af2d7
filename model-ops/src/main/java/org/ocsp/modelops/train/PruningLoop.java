package org.ocsp.modelops.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.EpochBatches;
import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.stability.StabilityTracker;

/**
 * The complete one-cycle OCSPruner run offline: at the start of every epoch a decision
 * (sub-network, similarity, stability, penalty), then TRAIN batches, then EVAL batches, and at
 * t* the surgery; fine-tuning continues to the last epoch. With {@code prune=false} it trains
 * the dense baseline with the same data and steps. At t* the EVAL batches run once more right
 * after the surgery ({@link EpochReport#testAccuracyAfterPruning()}).
 *
 * <pre>{@code
 * PruningLoop loop = new PruningLoop(graph, settings, stability, SelectionSettings.reference(0.5), true);
 * List<EpochReport> reports = loop.run(sequence, 30, listener);
 * }</pre>
 */
public final class PruningLoop {
    private final NetworkGraph graph;
    private final TrainingSettings settings;
    private final StabilityConfig stability;
    private final SelectionSettings selection;
    private final boolean prune;
    private TrainingSession session;

    public PruningLoop(NetworkGraph graph, TrainingSettings settings, StabilityConfig stability,
                       SelectionSettings selection, boolean prune) {
        this.graph = graph;
        this.settings = settings;
        this.stability = stability;
        this.selection = selection;
        this.prune = prune;
    }

    /** Runs epochs 0..epochs-1; the session stays open afterwards for saving (close it). */
    public List<EpochReport> run(BatchSequence data, int epochs, EpochListener listener) {
        session = TrainingSession.create(graph, settings);
        StabilityTracker tracker = StabilityTracker.start(stability, ChannelGroups.widths(session.groups()));
        EpochDecider decider = new EpochDecider(graph, session.groups(), selection, tracker);
        float[] x = new float[data.batchSize() * data.featuresPerSample()];
        int[] y = new int[data.batchSize()];
        List<EpochReport> reports = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            EpochDecision d = prune ? decider.decide(epoch, session::saliency) : EpochDecision.dense(epoch);
            if (prune && decider.lastSelection().isPresent()) {
                listener.onSelection(epoch, decider.lastScores().orElseThrow(), decider.lastSelection().get());
            }
            listener.onDecision(d);
            if (d.regularizationActive() && d.mask().isPresent()) {
                session.setPenalty(d.mask().get(), d.lambda().orElse(0));
            } else if (!session.isPruned()) {
                session.clearPenalty();
            }
            EpochBatches batches = data.batches(epoch);
            long start = System.nanoTime();
            SplitTotals train = runSplit(batches, Split.TRAIN, x, y, listener);
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double lr = session.learningRate();
            SplitTotals test = runSplit(batches, Split.EVAL, x, y, listener);
            Optional<PruneResult> pruning = Optional.empty();
            OptionalDouble afterPruning = OptionalDouble.empty();
            if (d.pruneAtEndOfEpoch()) {
                pruning = Optional.of(session.prune(d.mask().orElseThrow()));
                // The same EVAL batches right after the surgery: the accuracy lost at removal, before fine-tuning.
                // Evaluation changes no state, so the run goes on exactly as without it.
                afterPruning = OptionalDouble.of(runSplit(batches, Split.EVAL, x, y, EpochListener.NONE).accuracy());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            EpochReport report = new EpochReport(epoch, d, train.meanLoss(), train.accuracy(), test.meanLoss(),
                    test.accuracy(), lr, session.flops(), session.parameterCount(),
                    train.samples / Math.max(1e-9, trainSeconds), millis, pruning, afterPruning);
            reports.add(report);
            listener.onEpoch(report);
        }
        return reports;
    }

    /** TRAIN batches take an SGD step each; EVAL batches only a forward pass in evaluation mode. */
    private SplitTotals runSplit(EpochBatches batches, Split split, float[] x, int[] y, EpochListener listener) {
        SplitTotals t = new SplitTotals();
        int count = batches.batchCount(split);
        for (int i = 0; i < count; i++) {
            int n = batches.fill(split, i, x, y);
            StepResult r = split == Split.TRAIN ? session.trainBatch(x, y, n) : session.evalBatch(x, y, n);
            t.add(r);
            listener.onBatch(batches.epoch(), split, i, count, r);
        }
        return t;
    }

    /** Sample-weighted loss and accuracy over one split of an epoch. */
    private static final class SplitTotals {
        private double lossSum;
        private long correct;
        private long samples;

        void add(StepResult r) {
            lossSum += r.loss() * r.size();
            correct += r.correct();
            samples += r.size();
        }

        double meanLoss() {
            return lossSum / Math.max(1, samples);
        }

        double accuracy() {
            return (double) correct / Math.max(1, samples);
        }
    }

    /** The session of the last run (open until closed). */
    public TrainingSession session() {
        return session;
    }
}
