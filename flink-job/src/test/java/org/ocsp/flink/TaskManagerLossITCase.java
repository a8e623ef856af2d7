package org.ocsp.flink;

import java.nio.file.Path;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TaskManager that runs the job is taken away in the middle of a run (not a cancel: its tasks
 * fail, and the job fails over by its restart strategy once a new TaskManager is there). The
 * committed event log is the one of an uninterrupted run: no decision missing, none duplicated,
 * the same masks, t* and published model hash; and it verifies as one signed chain.
 */
class TaskManagerLossITCase {
    @Test
    void aLostTaskManagerLosesNoDecisionAndDuplicatesNone(@TempDir Path dir) throws Exception {
        try (MiniCluster cluster = Fixtures.miniCluster(dir, 1)) {
            Fixtures.assertFaultLeavesTheLog(cluster, dir, "tm", 5, () -> {
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
            });
        }
    }
}
