package org.ocsp.flink.job.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.ocsp.flink.job.BatchAddress;
import org.ocsp.flink.job.RunBatch;
import org.ocsp.flink.job.kafka.BatchReader;
import org.ocsp.flink.job.run.RunLifecycle;
import org.ocsp.flink.job.run.WaitingBatches;

/**
 * A run's batches that wait for their epoch's decision, in arrival order. Keyed state holds only
 * their addresses in the batches topic (keys [queueHead, queueTail) of {@link RunLifecycle}); the
 * bodies stay in memory ({@link WaitingBatches}) and are read again from Kafka only when memory
 * does not have them: after a restore, or when the waiting batches outgrew their budget. So a
 * batch is never serialised into RocksDB, and a checkpoint carries a few bytes per waiting batch.
 */
public final class WaitQueue {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WaitQueue.class);
    /** Addresses read from Kafka at once when the head is not in memory (the most the budget is exceeded by). */
    static final int READ_AHEAD = 16;

    private final MapState<Long, BatchAddress> addresses;
    private final WaitingBatches memory;
    private final BatchReader reader;
    private final Counter reread;

    public WaitQueue(MapState<Long, BatchAddress> addresses, WaitingBatches memory, BatchReader reader, Counter reread) {
        this.addresses = addresses;
        this.memory = memory;
        this.reader = reader;
        this.reread = reread;
    }

    public void add(RunLifecycle run, String runId, RunBatch b) throws Exception {
        long key = run.enqueue();
        addresses.put(key, BatchAddress.of(b));
        memory.offer(runId, key, b);
    }

    /** The address of the first waiting batch; the queue must not be empty. */
    public BatchAddress head(RunLifecycle run, String runId) throws Exception {
        Optional<RunBatch> b = memory.peek(runId, run.queueHead());
        return b.isPresent() ? BatchAddress.of(b.get()) : addresses.get(run.queueHead());
    }

    /** Removes the first waiting batch; empty when it could not be read again from Kafka. */
    public Optional<RunBatch> take(RunLifecycle run, String runId) throws Exception {
        long arrival = run.queueHead();
        Optional<RunBatch> b = memory.take(runId, arrival);
        if (b.isEmpty()) {
            readAhead(run, runId);
            b = memory.take(runId, arrival);
        }
        addresses.remove(arrival);
        run.dequeue();
        return b;
    }

    private void readAhead(RunLifecycle run, String runId) throws Exception {
        List<Long> arrivals = new ArrayList<>();
        List<BatchAddress> wanted = new ArrayList<>();
        for (long k = run.queueHead(); k < run.queueTail() && arrivals.size() < READ_AHEAD; k++) {
            if (memory.peek(runId, k).isEmpty()) {
                arrivals.add(k);
                wanted.add(addresses.get(k));
            }
        }
        Map<BatchAddress, RunBatch> read = reader.read(wanted);
        reread.inc(read.size());
        LOG.info("Run {}: read {} of {} waiting batches again from Kafka ({} .. {})", runId, read.size(), wanted.size(),
                wanted.get(0), wanted.get(wanted.size() - 1));
        for (int i = 0; i < arrivals.size(); i++) {
            RunBatch b = read.get(wanted.get(i));
            if (b != null) {
                memory.put(runId, arrivals.get(i), b.forRun(runId)); // due next: kept even beyond the budget
            }
        }
    }

    /** Drops what the lifecycle's keys no longer cover ({@link RunLifecycle#finish} cleared them). */
    public void clear(String runId) throws Exception {
        addresses.clear();
        memory.dropRun(runId);
    }
}
