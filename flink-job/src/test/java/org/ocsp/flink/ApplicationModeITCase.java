package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a real Flink cluster in application mode with an external broker, end to end:
 * runs {@code deploy/application-mode.sh --no-build} (Kafka broker, JobManager and TaskManager
 * each in its own JVM; see the script) and checks what it recorded. Runs with
 * {@code mvn -Pjob-jar,application-mode verify} (failsafe, after the job jar is packaged).
 */
class ApplicationModeITCase {
    static final Duration TIMEOUT = Duration.ofMinutes(25);

    static Path repo;
    static Path work;
    static Properties summary;
    static String output;

    @BeforeAll
    static void runTheScript() throws Exception {
        repo = Path.of(System.getProperty("ocsp.repo", "..")).toAbsolutePath().normalize();
        Path jobJar = Path.of(System.getProperty("ocsp.jobJar", "target/none"));
        assertTrue(Files.isRegularFile(jobJar), jobJar + " is missing: run with -Pjob-jar,application-mode");
        work = repo.resolve("deploy/flink-home/target/application-mode");
        Path log = Files.createDirectories(repo.resolve("flink-job/target")).resolve("application-mode-it.log");
        Process p = new ProcessBuilder("bash", "deploy/application-mode.sh", "--no-build").directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
            // SIGTERM: the script's exit trap stops the broker and the cluster it started.
            p.destroy();
            p.waitFor(2, TimeUnit.MINUTES);
            fail("deploy/application-mode.sh did not end within " + TIMEOUT + "; output in " + log);
        }
        output = Files.readString(log);
        assertEquals(0, p.exitValue(), "deploy/application-mode.sh failed; output in " + log + ":\n" + tail(output));
        summary = new Properties();
        try (Reader r = Files.newBufferedReader(work.resolve("summary.properties"), StandardCharsets.UTF_8)) {
            summary.load(r);
        }
    }

    @Test
    void jobRanOnTheApplicationClusterAndFinishedWithASavepoint() throws IOException {
        assertEquals("RUNNING", summary.getProperty("job.state"), "job state reported by the REST API");
        assertEquals("1", summary.getProperty("taskmanagers"));
        assertEquals("FINISHED", summary.getProperty("job.finalState"), "after stop with savepoint");
        assertEquals("0", summary.getProperty("jobmanager.exitCode"));
        Path savepoint = Path.of(summary.getProperty("savepoint").replaceFirst("^file:", ""));
        assertTrue(Files.isRegularFile(savepoint.resolve("_metadata")), "savepoint metadata in " + savepoint);
        // Separate JVMs, each with its own entry point and log.
        assertTrue(Files.readString(work.resolve("log/jobmanager.log")).contains("StandaloneApplicationClusterEntryPoint"));
        assertTrue(Files.readString(work.resolve("log/taskmanager.log")).contains("TaskManagerRunner"));
    }

    @Test
    void checkpointsWereTakenIncrementallyWithRocksDb() {
        assertEquals("EmbeddedRocksDBStateBackend", summary.getProperty("checkpoints.stateBackend"));
        assertTrue(Long.parseLong(summary.getProperty("checkpoints.completed")) >= 1, "completed checkpoints");
        assertTrue(Long.parseLong(summary.getProperty("checkpoints.sharedFiles")) >= 1,
                "RocksDB files in the incremental checkpoints' shared/ directory");
        long stateSize = Long.parseLong(summary.getProperty("checkpoints.latest.stateSize"));
        long checkpointed = Long.parseLong(summary.getProperty("checkpoints.latest.checkpointedSize"));
        assertTrue(checkpointed < stateSize, "incremental: checkpointed " + checkpointed + " < full " + stateSize);
    }

    @Test
    void runWasPrunedPublishedAndItsLogVerifies() throws IOException {
        assertEquals("0", summary.getProperty("audit.verify.exitCode"));
        String verify = Files.readString(work.resolve("log/audit-verify.out"));
        assertTrue(verify.contains(" 0 mismatches - the log verifies"), verify);
        String replay = Files.readString(work.resolve("log/audit-replay.out"));
        assertTrue(replay.contains("pruned at t* = ") && replay.contains(" 0 mismatches - the log verifies"), replay);
        assertTrue(Files.size(Path.of(summary.getProperty("model"))) > 0, "published model file");
        List<String> timeline = Files.readAllLines(work.resolve("log/audit-timeline.out"));
        assertTrue(timeline.stream().anyMatch(l -> l.matches("\\s*\\d+\\s+PRUNED\\s.*")),
                "an epoch trained after pruning:\n" + String.join("\n", timeline));
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
