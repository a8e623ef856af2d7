package org.ocsp.flink.job.run;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ocsp.flink.job.RunBatch;

/**
 * The bodies of waiting batches in memory, per run and arrival number, within a byte budget for
 * the whole task. A batch that does not fit is not kept: its address in keyed state is enough to
 * read it again from Kafka when its turn comes.
 */
public final class WaitingBatches {
    /** Per batch, beyond its arrays (object headers, fields, map entry). */
    private static final long OVERHEAD_BYTES = 256;

    private final long budgetBytes;
    private final Map<String, Map<Long, RunBatch>> byRun = new HashMap<>();
    private long bytes;

    public WaitingBatches(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * The budget a trainer task uses: the configured one, but at most a quarter of its slot's share
     * of the heap, so a small TaskManager re-reads from Kafka instead of running out of heap.
     */
    public static long budget(long configured, long maxHeap, int slots) {
        return Math.min(configured, maxHeap / (4L * Math.max(1, slots)));
    }

    /** Keeps the batch if it fits the budget. */
    public void offer(String runId, long arrival, RunBatch b) {
        if (bytes + size(b) <= budgetBytes) {
            put(runId, arrival, b);
        }
    }

    /** Keeps the batch even beyond the budget: it is about to be trained. */
    public void put(String runId, long arrival, RunBatch b) {
        RunBatch before = byRun.computeIfAbsent(runId, r -> new HashMap<>()).put(arrival, b);
        bytes += size(b) - (before == null ? 0 : size(before));
    }

    public Optional<RunBatch> peek(String runId, long arrival) {
        Map<Long, RunBatch> run = byRun.get(runId);
        return Optional.ofNullable(run == null ? null : run.get(arrival));
    }

    public Optional<RunBatch> take(String runId, long arrival) {
        Map<Long, RunBatch> run = byRun.get(runId);
        RunBatch b = run == null ? null : run.remove(arrival);
        if (b != null) {
            bytes -= size(b);
        }
        return Optional.ofNullable(b);
    }

    public void dropRun(String runId) {
        Map<Long, RunBatch> run = byRun.remove(runId);
        if (run != null) {
            run.values().forEach(b -> bytes -= size(b));
        }
    }

    public long bytes() {
        return bytes;
    }

    private static long size(RunBatch b) {
        return OVERHEAD_BYTES + (b.features == null ? 0 : (long) b.features.length * Float.BYTES)
                + (b.labels == null ? 0 : (long) b.labels.length * Integer.BYTES);
    }
}
