package org.ocsp.flink.job;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * The runs' native sessions on this task. A session exists only in memory; after a restore it is
 * rebuilt from the checkpointed epoch boundary (tensors, momentum, position), the applied decision
 * and the epoch's consumed batches, so it is exactly the session that was lost.
 */
final class LiveRuns implements AutoCloseable {
    private final Map<String, LiveRun> live = new HashMap<>();
    private final TrainerState state;
    private final Function<String, RunMetrics> metrics;

    LiveRuns(TrainerState state, Function<String, RunMetrics> metrics) {
        this.state = state;
        this.metrics = metrics;
    }

    /** The run's session, if this task has it in memory. */
    Optional<LiveRun> find(String runId) {
        return Optional.ofNullable(live.get(runId));
    }

    /** Creates the run's session: fresh at its start, or as it was at the last checkpoint after a restore. */
    LiveRun create(RunControl c, RunSpec spec, String runId) throws Exception {
        LiveRun r = LiveRun.create(runId, spec, c.trainBatchesPerEpoch.orElseThrow());
        live.put(runId, r);
        if (c.boundarySaved) {
            if (c.pruned) {
                r.session.prune(RunControl.mask(c.pruneMask));
            }
            Optional<float[]> momentum = ModelStateStore.load(r.session, state.model);
            r.session.restorePosition(c.boundaryIteration, momentum);
        }
        if (c.decisionApplied) {
            EpochGate.open(c, r, metrics.apply(runId));
            for (RunBatch b : state.consumed.get()) {
                r.step(b);
            }
        }
        return r;
    }

    /** Frees a finished run's native memory. */
    void end(String runId) {
        LiveRun r = live.remove(runId);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public void close() {
        live.values().forEach(LiveRun::close);
        live.clear();
    }
}
