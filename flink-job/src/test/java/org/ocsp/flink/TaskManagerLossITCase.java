package org.ocsp.flink;


import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * The TaskManager that runs the job is taken away in the middle of a run (not a cancel: its tasks
 * fail, and the job fails over by its restart strategy once a new TaskManager is there). The
 * committed event log is the one of an uninterrupted run: no decision missing, none duplicated,
 * the same masks, t* and published model hash; and it verifies as one signed chain.
 */
class TaskManagerLossITCase {
    static final int EPOCHS = 5;

    @Test
    void aLostTaskManagerLosesNoDecisionAndDuplicatesNone(@TempDir Path dir) throws Exception {
        RunSpec spec = Fixtures.spec(0.5, EPOCHS, 3);
        try (MiniCluster cluster = Fixtures.miniCluster(dir, 1)) {

            Topics plain = Fixtures.topics("tm-plain");
            RunStarter.start(TestKafka.bootstrapServers(), plain, "run-t", spec);
            JobID job = Fixtures.submit(cluster, Fixtures.job(plain, dir.resolve("plain")));
            List<SpecificRecord> uninterrupted;
            try {
                Fixtures.awaitRunsRegistered(plain);
                Fixtures.publish(plain, EPOCHS);
                uninterrupted = Fixtures.ofRun(Fixtures.awaitPublished(plain, List.of("run-t")), "run-t");
            } finally {
                cluster.cancelJob(job).get();
            }

            Topics lost = Fixtures.topics("tm-lost");
            RunStarter.start(TestKafka.bootstrapServers(), lost, "run-t", spec);
            job = Fixtures.submit(cluster, Fixtures.job(lost, dir.resolve("lost")));
            List<SpecificRecord> recovered;
            try {
                Fixtures.awaitRunsRegistered(lost);
                // The last epoch is held back until the TaskManager is gone, so the run cannot finish first.
                Fixtures.publish(lost, 0, EPOCHS - 1);
                try (LogReader events = new LogReader(TestKafka.bootstrapServers(), lost.events().name())) {
                    events.await(rs -> rs.stream().anyMatch(r -> r instanceof MaskSnapshot
                            && ((MaskSnapshot) r).getHeader().getEpoch() == 2), Fixtures.TIMEOUT, "the cut point");
                }
                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
                Fixtures.publish(lost, EPOCHS - 1, 1);
                recovered = Fixtures.ofRun(Fixtures.awaitPublished(lost, List.of("run-t")), "run-t");
            } finally {
                cluster.cancelJob(job).get();
            }

            Fixtures.assertSameLogAsUninterrupted(uninterrupted, recovered, lost, "run-t", EPOCHS);
        }
    }
}
