package org.ocsp.flink.job;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** The trainer's counters, its device gauge and the per-run gauges ({@link RunMetrics}). */
final class TrainerMetrics {
    private final MetricGroup group;
    private final Map<String, RunMetrics> runs = new HashMap<>();
    final Counter deadLetters;
    /** Batches seen before a run's first dataset epoch began (the run joins at the next one). */
    final Counter batchesBeforeRunStart;
    /** Runs left alone because an earlier job trained them. */
    final Counter runsFromEarlierJobs;
    /** Waiting batches read again from Kafka (after a restore, or beyond the memory budget). */
    final Counter batchesReread;

    TrainerMetrics(MetricGroup group, ComputeDevice device) {
        this.group = group;
        deadLetters = group.counter("deadLetters");
        batchesBeforeRunStart = group.counter("batchesBeforeRunStart");
        runsFromEarlierJobs = group.counter("runsFromEarlierJobs");
        batchesReread = group.counter("batchesReread");
        group.gauge("device", (Gauge<String>) () -> device.kind().name());
    }

    RunMetrics run(String runId) {
        return runs.computeIfAbsent(runId, id -> RunMetrics.trainer(group, id));
    }

    /** Bytes of waiting batches held in memory on this task. */
    void waitingBatchBytes(WaitingBatches memory) {
        group.gauge("waitingBatchBytes", (Gauge<Long>) memory::bytes);
    }
}
