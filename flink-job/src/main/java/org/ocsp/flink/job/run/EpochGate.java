package org.ocsp.flink.job.run;

import org.ocsp.flink.job.metrics.RunMetrics;

/**
 * Applies the decision that opens a run's epoch to its live session (determinism: epoch t+1 never
 * trains before the log's decision for it is applied, {@link RunLifecycle#openEpoch}): the penalty
 * on the logged mask with the logged lambda, none before regularisation, nothing after surgery.
 */
public final class EpochGate {
    private EpochGate() {
    }

    /** Opens the run's current epoch and starts the epoch's sums. */
    public static void open(RunLifecycle run, LiveRun r, RunMetrics m) {
        RunLifecycle.EpochDecision d = run.openEpoch();
        apply(d, r, m);
        if (r.epochEndNanos != 0) {
            m.decisionWaitMillis = (System.nanoTime() - r.epochEndNanos) / 1_000_000;
        }
        m.waitingSinceMillis = 0;
        r.startEpoch();
    }

    /** After a restore: the epoch in force again on a fresh session (its sums come from the checkpoint next). */
    public static void resume(RunLifecycle run, LiveRun r, RunMetrics m) {
        apply(run.currentDecision(), r, m);
        r.startEpoch();
    }

    /** The decision's penalty on the session, and the run's gauges. */
    private static void apply(RunLifecycle.EpochDecision d, LiveRun r, RunMetrics m) {
        if (!d.pruned()) {
            if (d.penaltyMask().isPresent()) {
                r.session.setPenalty(d.penaltyMask().get(), d.lambda());
            } else {
                r.session.clearPenalty();
            }
        }
        m.epoch = d.epoch();
        m.lambda = d.lambda();
        m.phase = d.pruned() ? "PRUNED" : d.regularized() ? "REGULARIZING"
                : d.epoch() >= r.spec.getStability().getMonitorStart() ? "MONITORING" : "DENSE";
    }
}
