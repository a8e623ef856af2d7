package org.ocsp.flink.job;

/**
 * Opens a run's next epoch once its decision is known (determinism: epoch t+1 never trains before
 * the log's decision for it is applied). The decision is read from the control state: the penalty
 * on the logged mask with the logged lambda, none before regularisation, nothing after surgery.
 */
final class EpochGate {
    private EpochGate() {
    }

    /** Whether epoch {@code c.epoch} still waits for its decision from the log. */
    static boolean closed(RunControl c, int monitorStart) {
        return c.waitingForDecision(monitorStart);
    }

    /** Applies the decision for epoch {@code c.epoch} to the live session and starts the epoch's sums. */
    static void open(RunControl c, LiveRun r, RunMetrics m) {
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
            m.decisionWaitMillis = (System.nanoTime() - r.epochEndNanos) / 1_000_000;
        }
        r.startEpoch();
        m.epoch = t;
        m.lambda = c.regularizedAt(t) ? c.lambdaAt(t) : 0;
        m.phase = c.pruned ? "PRUNED" : c.regularizedAt(t) ? "REGULARIZING"
                : t >= r.spec.getStability().getMonitorStart() ? "MONITORING" : "DENSE";
    }
}
