package org.ocsp.flink.job.state;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.flink.job.metrics.RunMetrics;
import org.ocsp.flink.job.run.EpochGate;
import org.ocsp.flink.job.run.LiveRun;
import org.ocsp.flink.job.run.RunLifecycle;

/**
 * The runs' native sessions on this task. A session exists only in memory and is written to keyed
 * state when a checkpoint is taken; after a restore it is rebuilt from there (tensors, momentum,
 * position, the epoch's sums) and the applied decision, so it is exactly the session that was lost,
 * also in the middle of an epoch.
 */
public final class LiveRuns implements AutoCloseable {
    private final Map<String, LiveRun> live = new HashMap<>();
    private final TrainerState state;
    private final Function<String, RunMetrics> metrics;

    public LiveRuns(TrainerState state, Function<String, RunMetrics> metrics) {
        this.state = state;
        this.metrics = metrics;
    }

    /** The run's session, if this task has it in memory. */
    public Optional<LiveRun> find(String runId) {
        return Optional.ofNullable(live.get(runId));
    }

    /** Creates the run's session: fresh at its start, or as it was at the last checkpoint after a restore. */
    public LiveRun create(RunLifecycle run, RunSpec spec, String runId) throws Exception {
        LiveRun r = LiveRun.create(runId, spec, run.trainBatchesPerEpoch());
        live.put(runId, r);
        if (!ModelStateStore.saved(state.model)) {
            return r; // started after the last checkpoint: the fresh session is the one that was lost
        }
        if (run.pruned()) {
            r.prune(run.pruneMask());
        }
        if (run.decisionApplied()) {
            EpochGate.resume(run, r, metrics.apply(runId));
        }
        ModelStateStore.load(r, state.model);
        r.saved();
        return r;
    }

    /**
     * Writes every run that changed since the last checkpoint into keyed state. Called as a
     * checkpoint is taken, before the state backend's snapshot; {@code selectKey} switches the
     * keyed state to the run.
     */
    public void checkpoint(Consumer<String> selectKey) throws Exception {
        for (LiveRun r : live.values()) {
            if (r.changedSinceSaved()) {
                selectKey.accept(r.runId);
                ModelStateStore.save(r, state.model);
                r.saved();
            }
        }
    }

    /** Runs whose model is in memory now. */
    public int count() {
        return live.size();
    }

    /** Frees a finished run's native memory. */
    public void end(String runId) {
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
