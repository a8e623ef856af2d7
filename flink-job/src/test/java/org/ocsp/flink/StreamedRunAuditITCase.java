package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.audit.ArchitectureReplay;
import org.ocsp.flink.audit.DecisionVerifier;
import org.ocsp.flink.audit.EventArchive;
import org.ocsp.flink.audit.KafkaEventSource;
import org.ocsp.flink.audit.ModelCheck;
import org.ocsp.flink.audit.RunLog;
import org.ocsp.flink.audit.VerificationResult;
import org.ocsp.flink.report.HtmlReport;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.RecordType;
import org.ocsp.flink.audit.Tamper;
import org.ocsp.schemas.avro.event.AdaptiveSpec;
import org.ocsp.schemas.avro.event.LrScheduleKind;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.PruningReason;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.StepSchedule;

/**
 * The audit on logs the streaming job really wrote (real broker, mini-cluster, two runs on one
 * stream): every decision verifies, masks re-selected from their logged scores and every event's
 * link and signature checked with the job's key, also from the exported archive; the published
 * models replay, and the report is written
 * ({@code target/report-artifacts/streamed-runs.html}). Lives in this package for {@link Fixtures}.
 */
class StreamedRunAuditITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    static final int EPOCHS = 5;

    /**
     * The ADAPTIVE rules from epoch 2 (churn is known once M_1 is), a STEP schedule and widths in
     * blocks of 4; {@code negligible} 0.999 prunes at the start epoch (about any rho is negligible), a
     * small one lets lambda follow its path until the cap.
     */
    static RunSpec adaptive(double negligible, int hardCap) {
        RunSpec spec = Fixtures.spec(0.5, EPOCHS, hardCap);
        spec.getStability().setAdaptive(AdaptiveSpec.newBuilder().setStartChurn(1.0).setStopChurn(0.999)
                .setNegligibleRatio(negligible).setPathShare(0.5).setLambdaStart(0.5).setGain(2).setMaxRise(4).build());
        spec.getLrSchedule().setKind(LrScheduleKind.STEP);
        spec.getLrSchedule().setParams(StepSchedule.newBuilder().setStepEpochs(2).setGamma(0.5).build());
        spec.getSelection().setChannelMultiple(4);
        return spec;
    }

    @Test
    void logsWrittenByTheJobVerifyReplayAndReport(@TempDir Path dir) throws Exception {
        Topics topics = Fixtures.topics("audit");
        List<String> runs = List.of("run-30", "run-50", "adaptive-stop", "adaptive-path");
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-30", Fixtures.spec(0.3, EPOCHS, 3));
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-50", Fixtures.spec(0.5, EPOCHS, 3));
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "adaptive-stop", adaptive(0.999, 4));
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "adaptive-path", adaptive(1e-6, 3));
        JobClient job = Fixtures.start(Fixtures.job(topics, dir));
        try {
            Fixtures.awaitRunsRegistered(topics);
            Fixtures.publish(topics, EPOCHS);
            Fixtures.awaitPublished(topics, runs);
        } finally {
            job.cancel().get();
        }
        KafkaEventSource source = KafkaEventSource.builder().setBootstrapServers(TestKafka.bootstrapServers())
                .setTopic(topics.events().name()).optTimeout(Duration.ofSeconds(60)).build();
        List<RunLog> logs = new ArrayList<>();
        for (String run : runs) {
            RunLog log = source.load(run);
            VerificationResult verified = new DecisionVerifier(List.of(Fixtures.publicKey())).verify(log);
            System.out.print(verified.describe());
            assertTrue(verified.ok(), verified.describe());
            VerificationResult replayed = ModelCheck.check(log, ArchitectureReplay.rebuild(log), Optional.empty(),
                    Optional.empty());
            System.out.print(replayed.describe());
            assertTrue(replayed.ok(), replayed.describe());
            ModelPublished published = log.first(RecordType.MODEL_PUBLISHED, ModelPublished.class).orElseThrow();
            assertEquals(1, published.getExports().size(), "the job publishes an ONNX file next to the model");
            assertTrue(replayed.notes().stream().anyMatch(n -> n.startsWith("ONNX export")),
                    "the ONNX file's hash, metadata (run, config hash, chain head) and widths were checked: "
                            + replayed.notes());
            Path onnx = Path.of(java.net.URI.create(published.getExports().get(0).getUri()));
            byte[] original = Files.readAllBytes(onnx);
            byte[] changed = original.clone();
            changed[changed.length - 1] ^= 1;
            Files.write(onnx, changed);
            VerificationResult caught = ModelCheck.check(log, ArchitectureReplay.rebuild(log), Optional.empty(),
                    Optional.empty());
            Files.write(onnx, original);
            assertEquals(1, caught.mismatchesOf("ModelPublished.exports[ONNX].sha256").size(), caught.describe());
            Path archive = dir.resolve(run + ".events.avro");
            EventArchive.write(archive, log);
            VerificationResult offline = new DecisionVerifier(List.of(Fixtures.publicKey()))
                    .verify(EventArchive.reader(archive).load(run));
            assertTrue(offline.ok(), "the archive verifies offline with its signatures: " + offline.describe());
            assertEquals(log.inLogOrder().size(), offline.eventsRead());
            logs.add(log);
        }
        checkAdaptive(logs.get(2), PruningReason.STABLE_AND_NEGLIGIBLE, 2);
        checkAdaptive(logs.get(3), PruningReason.HARD_CAP, 3);
        Path html = HtmlReport.write(logs, Path.of("target", "report-artifacts", "streamed-runs.html"));
        assertTrue(Files.readString(html).contains("\"runId\":\"run-50\""));
    }

    /** The adaptive signals are in the log, widths come in blocks of 4, and a forged rho is caught. */
    private static void checkAdaptive(RunLog log, PruningReason reason, int tStar) {
        PruningEvent pruned = log.first(RecordType.PRUNING_EVENT, PruningEvent.class).orElseThrow();
        assertEquals(reason, pruned.getReason());
        assertEquals(tStar, pruned.getTStar());
        pruned.getChannelCounts().forEach(c -> assertTrue(c.getAfter() % 4 == 0 || c.getAfter() == c.getBefore(),
                c.toString()));
        MaskSnapshot start = log.at(RecordType.MASK_SNAPSHOT, MaskSnapshot.class, 2).orElseThrow();
        assertEquals(start.getAdaptive().getRemovalWeightRatio(), start.getAdaptive().getPlannedRatio(),
                "the path starts at the start epoch's removal weight");
        assertTrue(start.getAdaptive().getChurn() != null);
        assertTrue(log.at(RecordType.MASK_SNAPSHOT, MaskSnapshot.class, 1).orElseThrow().getAdaptive().getChurn() == null,
                "no churn without the previous epoch's mask");
        assertEquals(0.5, log.at(RecordType.PENALTY_CHANGED, PenaltyChanged.class, 2).orElseThrow().getLambdaNew());
        RunLog forged = Tamper.change(log, e -> e.type() == RecordType.MASK_SNAPSHOT && e.epoch() == tStar,
                MaskSnapshot.class, m -> m.getAdaptive().setRemovalWeightRatio(m.getAdaptive().getRemovalWeightRatio() / 2));
        VerificationResult caught = new DecisionVerifier(List.of(Fixtures.publicKey())).verify(forged);
        assertEquals(1, caught.mismatchesOf("MaskSnapshot.adaptive.removalWeightRatio").size(), caught.describe());
    }
}
