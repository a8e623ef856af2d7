package org.ocsp.flink.job.run;

import org.ocsp.flink.job.TrainerOutput;
import org.ocsp.flink.job.metrics.RunMetrics;

/**
 * The end of a run epoch: the epoch's record for the stability operator, the channel surgery when
 * the log chose this epoch as t*, and the saliency scores the next decision is made from.
 */
public final class EpochCompletion {
    private EpochCompletion() {
    }

    /** The EPOCH output of the run's current epoch; prunes the live model first when t* is this epoch. */
    public static TrainerOutput complete(RunLifecycle run, LiveRun r, RunMetrics m) {
        int t = run.epoch();
        long end = System.nanoTime();
        TrainerOutput o = new TrainerOutput();
        o.runId = r.runId;
        o.kind = TrainerOutput.Kind.EPOCH;
        o.epoch = t;
        o.datasetEpoch = run.startDatasetEpoch() + t;
        o.trainLoss = r.train.meanLoss();
        o.trainAccuracy = r.train.accuracy();
        o.testLoss = r.eval.seen() > 0 ? r.eval.meanLoss() : null;
        o.testAccuracy = r.eval.seen() > 0 ? r.eval.accuracy() : null;
        o.learningRate = r.session.learningRate();
        o.flops = r.session.flops();
        o.params = r.session.parameterCount();
        o.imagesPerSecond = r.imagesPerSecond();
        o.durationMillis = (end - r.startNanos) / 1_000_000;
        o.lastOffset = run.lastOffset().orElse(null);
        o.batchesTopic = r.batchesTopic;
        if (run.endEpoch()) {
            r.prune(run.pruneMask());
        }
        o.step = r.session.iteration();
        Integer planned = r.spec.getEpochsPlanned();
        o.last = planned != null && t == planned - 1;
        if (!o.last && !run.pruned() && t + 1 >= r.spec.getStability().getMonitorStart()) {
            o.scores = ScoresCodec.toBytes(r.session.saliency());
        }
        m.imagesPerSecond = o.imagesPerSecond;
        m.testAccuracy = o.testAccuracy == null ? 0 : o.testAccuracy;
        m.flops = r.session.flops();
        return o;
    }

    /** Moves the run to the next epoch, which then waits for its decision. */
    public static void advance(RunLifecycle run, LiveRun r) {
        run.advance();
        r.epochEndNanos = System.nanoTime();
    }
}
