package org.ocsp.flink;


import java.nio.file.Path;
import java.util.List;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.avro.event.EpochCompleted;

/**
 * Two runs, restored from a retained checkpoint with another parallelism twice (1 -> 2 in the
 * middle of the runs, 2 -> 1 later): keyed state, the fan-out's broadcast state and the sources'
 * offsets are redistributed, and each run's committed log is the one of an uninterrupted run.
 */
class RescaleITCase {
    static final int EPOCHS = 5;
    static final List<String> RUNS = List.of("run-a", "run-b");

    @Test
    void restoresWithAnotherParallelismGiveTheSameLogs(@TempDir Path dir) throws Exception {
        try (MiniCluster cluster = Fixtures.miniCluster(dir, 2)) {
            Topics plain = Fixtures.topics("rescale-plain");
            start(plain);
            JobID job = Fixtures.submit(cluster, Fixtures.job(plain, dir.resolve("plain")));
            List<SpecificRecord> uninterrupted;
            try {
                Fixtures.awaitRunsRegistered(plain);
                Fixtures.publish(plain, EPOCHS);
                uninterrupted = Fixtures.awaitPublished(plain, RUNS);
            } finally {
                cluster.cancelJob(job).get();
            }

            Topics cut = Fixtures.topics("rescale-cut");
            Path cutDir = dir.resolve("cut");
            start(cut);
            job = Fixtures.submit(cluster, Fixtures.job(cut, cutDir, null, 1));
            Fixtures.awaitRunsRegistered(cut);
            Fixtures.publish(cut, 0, EPOCHS - 1); // the last epoch waits until both cuts are done
            int[] epochs = {2, 3};
            int[] parallelism = {2, 1};
            for (int i = 0; i < epochs.length; i++) {
                int epoch = epochs[i];
                try (LogReader events = new LogReader(TestKafka.bootstrapServers(), cut.events().name())) {
                    events.await(rs -> RUNS.stream().allMatch(run -> rs.stream().anyMatch(r -> r instanceof EpochCompleted
                            && ((EpochCompleted) r).getHeader().getRunId().equals(run)
                            && ((EpochCompleted) r).getHeader().getEpoch() == epoch)), Fixtures.TIMEOUT, "epoch " + epoch);
                } finally {
                    cluster.cancelJob(job).get();
                }
                Path checkpoint = RestoreITCase.latestCheckpoint(cutDir.resolve("checkpoints")).orElseThrow();
                job = Fixtures.submit(cluster, Fixtures.job(cut, cutDir, checkpoint.toUri().toString(), parallelism[i]));
            }
            Fixtures.publish(cut, EPOCHS - 1, 1);
            List<SpecificRecord> rescaled;
            try {
                rescaled = Fixtures.awaitPublished(cut, RUNS);
            } finally {
                cluster.cancelJob(job).get();
            }
            for (String run : RUNS) {
                Fixtures.assertSameLogAsUninterrupted(uninterrupted, rescaled, cut, run, EPOCHS);
            }
        }
    }

    private static void start(Topics topics) {
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-a", Fixtures.spec(0.5, EPOCHS, 3));
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-b", Fixtures.spec(0.3, EPOCHS, 3));
    }
}
