package org.ocsp.flink.job.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.ocsp.flink.job.resources.ComputeDevice;
import org.ocsp.flink.job.run.WaitingBatches;

/** The trainer's counters, its device gauge and the per-run gauges ({@link RunMetrics}). */
public final class TrainerMetrics {
    private final MetricGroup group;
    private final Map<String, RunMetrics> runs = new HashMap<>();
    public final Counter deadLetters;
    /** Batches seen before a run's first dataset epoch began (the run joins at the next one). */
    public final Counter batchesBeforeRunStart;
    /** Runs left alone because an earlier job trained them. */
    public final Counter runsFromEarlierJobs;
    /** Waiting batches read again from Kafka (after a restore, or beyond the memory budget). */
    public final Counter batchesReread;
    /** Batches dropped without a dead letter, one counter per reason: none vanishes uncounted. */
    public final Counter batchesAfterRunEnd;
    public final Counter batchesBeyondPlan;
    /** RunStarted events repeated with the same spec (a client retry): ignored. */
    public final Counter duplicateRunStarted;
    /** Runs stopped on request (ocsp run stop), and requests for runs that had already ended. */
    public final Counter runsStopped;
    /** Runs refused by the job's active-run limit (RunRejected). */
    public final Counter runsRejected;
    public final Counter stopsAfterRunEnd;
    /** Runs ended as FAILED by a fault of their own (RunFailed in the log); alert on any increase. */
    public final Counter runsFailed;

    public TrainerMetrics(MetricGroup group, ComputeDevice device) {
        this.group = group;
        deadLetters = group.counter("deadLetters");
        batchesBeforeRunStart = group.counter("batchesBeforeRunStart");
        runsFromEarlierJobs = group.counter("runsFromEarlierJobs");
        batchesReread = group.counter("batchesReread");
        runsFailed = group.counter("runsFailed");
        batchesAfterRunEnd = group.counter("batchesAfterRunEnd");
        batchesBeyondPlan = group.counter("batchesBeyondPlan");
        duplicateRunStarted = group.counter("duplicateRunStarted");
        runsStopped = group.counter("runsStopped");
        runsRejected = group.counter("runsRejected");
        stopsAfterRunEnd = group.counter("stopsAfterRunEnd");
        group.gauge("device", (Gauge<String>) () -> device.kind().name());
    }

    public RunMetrics run(String runId) {
        return runs.computeIfAbsent(runId, id -> RunMetrics.trainer(group, id));
    }

    /**
     * Forgets an ended run's gauges. Flink has no public way to unregister a metric group, so its
     * gauges stay registered with their last values until the task restarts; nothing else is held.
     */
    public void end(String runId) {
        runs.remove(runId);
    }

    /** Runs with gauges on this task. */
    public int runsWithGauges() {
        return runs.size();
    }

    /** Bytes of waiting batches held in memory on this task. */
    public void waitingBatchBytes(WaitingBatches memory) {
        group.gauge("waitingBatchBytes", (Gauge<Long>) memory::bytes);
    }
}
