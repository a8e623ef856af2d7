package org.ocsp.flink.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * Completed checkpoints of a running job, from the JobManager's checkpoint statistics (the numbers
 * the web UI and {@code /jobs/:id/checkpoints} show). The history keeps only the last
 * {@code web.checkpoints.history} entries: set it high enough for the job's lifetime.
 */
final class CheckpointStatsReader {
    private CheckpointStatsReader() {
    }

    static List<CheckpointSample> completed(MiniCluster cluster, JobID job) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
        AccessExecutionJobVertex trainer = null;
        for (AccessExecutionJobVertex v : graph.getAllVertices().values()) {
            if (v.getName().startsWith(DecisionWaitRecorder.TRAINER_OPERATOR)) {
                trainer = v;
            }
        }
        if (trainer == null) {
            throw new IllegalStateException("Job " + job + " has no vertex named '" + DecisionWaitRecorder.TRAINER_OPERATOR
                    + "...'");
        }
        List<CheckpointSample> out = new ArrayList<>();
        for (AbstractCheckpointStats c : graph.getCheckpointStatsSnapshot().getHistory().getCheckpoints()) {
            if (c instanceof CompletedCheckpointStats) {
                TaskStateStats t = c.getTaskStateStats(trainer.getJobVertexId());
                out.add(new CheckpointSample(c.getCheckpointId(), c.getTriggerTimestamp(), c.getEndToEndDuration(),
                        c.getStateSize(), c.getCheckpointedSize(), t == null ? 0 : t.getStateSize(),
                        t == null ? 0 : t.getCheckpointedSize()));
            }
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }
}
