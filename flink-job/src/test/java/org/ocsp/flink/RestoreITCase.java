package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.audit.DecisionVerifier;
import org.ocsp.flink.audit.KafkaEventSource;
import org.ocsp.flink.audit.VerificationResult;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.avro.event.ConsumedOffset;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * Cancel in the middle of a run, restore from the last retained checkpoint: the event log a
 * read_committed reader sees equals that of an uninterrupted run (same events, same order, same
 * sequence numbers and ids, same decisions and losses), with nothing duplicated or missing.
 */
class RestoreITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    static final int EPOCHS = 6;

    @Test
    void restoreFromTheLastCheckpointGivesTheSameEventLog(@TempDir Path dir) throws Exception {
        RunSpec spec = Fixtures.spec(0.5, EPOCHS, 3);

        Topics plain = Fixtures.topics("plain");
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), plain, "run-r", spec);
        JobClient job = Fixtures.start(Fixtures.job(plain, dir.resolve("plain")));
        List<SpecificRecord> uninterrupted;
        try {
            Fixtures.awaitRunsRegistered(plain);
            Fixtures.publish(plain, EPOCHS);
            uninterrupted = Fixtures.ofRun(Fixtures.awaitPublished(plain, List.of("run-r")), "run-r");
        } finally {
            job.cancel().get();
        }

        Topics cut = Fixtures.topics("cut");
        Path cutDir = dir.resolve("cut");
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), cut, "run-r", spec);
        JobClient running = Fixtures.start(Fixtures.job(cut, cutDir));
        Fixtures.awaitRunsRegistered(cut);
        // The last epoch is held back until both cuts are done, so the run cannot finish before a
        // cancel lands, however fast training is.
        Fixtures.publish(cut, 0, EPOCHS - 1);
        // Cut twice: while regularising (before t*), and after the surgery (the restore rebuilds the pruned network).
        List<Predicate<SpecificRecord>> cuts = List.of(
                r -> r instanceof MaskSnapshot && ((MaskSnapshot) r).getHeader().getEpoch() == 2,
                r -> r instanceof EpochCompleted && ((EpochCompleted) r).getHeader().getEpoch() == 3);
        for (Predicate<SpecificRecord> cutPoint : cuts) {
            try (LogReader events = new LogReader(TestKafka.bootstrapServers(), cut.events().name())) {
                events.await(rs -> rs.stream().anyMatch(cutPoint), Fixtures.TIMEOUT, "the cut point");
            } finally {
                running.cancel().get();
            }
            try (LogReader events = new LogReader(TestKafka.bootstrapServers(), cut.events().name())) {
                List<SpecificRecord> before = events.await(rs -> !rs.isEmpty(), Fixtures.TIMEOUT, "the committed log");
                assertTrue(before.stream().noneMatch(r -> r instanceof ModelPublished), "cancelled after the run finished");
            }
            Path checkpoint = latestCheckpoint(cutDir.resolve("checkpoints"))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint under " + cutDir));
            running = Fixtures.start(Fixtures.job(cut, cutDir, checkpoint.toUri().toString()));
        }
        Fixtures.publish(cut, EPOCHS - 1, 1);
        List<SpecificRecord> restored;
        try {
            restored = Fixtures.ofRun(Fixtures.awaitPublished(cut, List.of("run-r")), "run-r");
        } finally {
            running.cancel().get();
        }

        Fixtures.assertSameOnnxGraph(uninterrupted, restored, "run-r");
        assertEquals(normalized(uninterrupted), normalized(restored));
        for (int i = 0; i < restored.size(); i++) {
            assertEquals(i, Fixtures.header(restored.get(i)).getSequence(), "gap-free, duplicate-free sequence");
        }
        assertEquals(EPOCHS, StreamingTrainerITCase.only(restored, EpochCompleted.class).size());
        // Restored twice mid-run, the committed log is still one unbroken, signed chain.
        VerificationResult verified = new DecisionVerifier(List.of(Fixtures.publicKey())).verify(
                KafkaEventSource.builder().setBootstrapServers(TestKafka.bootstrapServers()).setTopic(cut.events().name())
                        .build().load("run-r"));
        assertTrue(verified.ok(), verified.describe());
        assertTrue(verified.signatures().startsWith("signatures: "), verified.describe());
    }

    /** The highest completed checkpoint (chk-N with _metadata) under the checkpoint directory. */
    static Optional<Path> latestCheckpoint(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata")).map(Path::getParent)
                    .filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))));
        }
    }

    /** Events without wall-clock values (event time, throughput, durations) and topic/file names. */
    static List<String> normalized(List<SpecificRecord> log) {
        List<String> out = new ArrayList<>();
        for (SpecificRecord r : log) {
            SpecificRecord c = (SpecificRecord) SpecificData.get().deepCopy(r.getSchema(), r);
            EventHeader h = Fixtures.header(c);
            h.setEventTime(Instant.EPOCH);
            h.setPreviousHash(null); // hashes the event times and speeds of the previous event
            if (h.getConsumedOffsets() != null) {
                for (ConsumedOffset o : h.getConsumedOffsets()) {
                    o.setTopic("batches");
                }
            }
            if (c instanceof EpochCompleted) {
                ((EpochCompleted) c).setImagesPerSecond(0);
                ((EpochCompleted) c).setDurationMillis(0);
            }
            if (c instanceof ModelPublished) {
                ((ModelPublished) c).setUri("");
                // Each run writes under its own directory, and the ONNX metadata holds the chain head
                // (a hash over wall-clock values): Fixtures.assertSameOnnxGraph compares the files.
                ((ModelPublished) c).getExports().forEach(x -> {
                    x.setUri("");
                    x.setSha256("");
                });
            }
            out.add(c.toString());
        }
        assertTrue(out.size() > EPOCHS, "a run's log has more than its epochs");
        return out.stream().collect(Collectors.toList());
    }
}
