package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.audit.DecisionVerifier;
import org.ocsp.flink.audit.LoggedEvent;
import org.ocsp.flink.audit.RunLog;
import org.ocsp.flink.audit.VerificationResult;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.RunFailed;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * A run whose training diverges ends as FAILED (a dead letter for the batch, RunFailed in the log,
 * its state released) while the other run on the same task trains on; the log of the failed run
 * is complete and verifies.
 */
class RunFailureTest {
    private static final EventCodec CODEC = EventCodec.create();
    private static final int BATCH = 16;
    private static final int TRAIN_BATCHES = 4;

    private static RunSpec spec(double lr) {
        RunSpec spec = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 3).build();
        spec.setBatchSize(BATCH);
        spec.getStability().setMonitorStart(1);
        spec.getOptimizer().setLearningRate(lr);
        return spec;
    }

    /** Dataset epoch 0: TRAIN batches, one EVAL batch and the EpochEnd marker, for {@code runId}. */
    private static List<RunBatch> epoch(String runId) {
        return TrainerInputs.epoch(runId, 3, TRAIN_BATCHES, BATCH);
    }

    @Test
    void aDivergingRunFailsAloneAndItsLogEndsWithRunFailed(@TempDir Path dir) throws Exception {
        List<TrainerOutput> outputs;
        List<DeadLetter> dead = new ArrayList<>();
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                TrainerCheckpointTest.harness(new HashMapStateBackend(), dir, null, TrainerInputs.NO_READS, 64L << 20)) {
            h.processElement2(TrainerInputs.runStarted("diverges", spec(1e30)), 0);
            h.processElement2(TrainerInputs.runStarted("healthy", spec(0.01)), 0);
            List<RunBatch> bad = epoch("diverges");
            List<RunBatch> good = epoch("healthy");
            for (int i = 0; i < bad.size(); i++) {
                h.processElement1(bad.get(i), 0);
                h.processElement1(good.get(i), 0);
            }
            outputs = h.extractOutputValues();
            dead.addAll(EmittedDeadLetters.of(h));
        }
        List<TrainerOutput> failed = outputs.stream().filter(o -> o.kind == TrainerOutput.Kind.FAILED).toList();
        assertEquals(1, failed.size(), "one FAILED output");
        TrainerOutput f = failed.get(0);
        assertEquals("diverges", f.runId);
        assertEquals("train", f.failureStage);
        assertTrue(f.failureReason.startsWith("training diverged: the loss of "), f.failureReason);
        assertTrue(f.failureInput.startsWith("batches-0@"), f.failureInput);
        assertEquals(1, dead.size(), "the batch that diverged, and nothing for the batches the failed run no longer takes");
        assertTrue(dead.get(0).getReason().startsWith("run FAILED: training diverged"), dead.get(0).getReason());
        assertEquals("diverges", dead.get(0).getRunId());
        assertEquals(0, outputs.stream().filter(o -> o.runId.equals("diverges") && outputs.indexOf(o) > outputs.indexOf(f))
                .count(), "nothing of the failed run after it failed");
        assertTrue(outputs.stream().anyMatch(o -> o.runId.equals("healthy") && o.kind == TrainerOutput.Kind.EPOCH),
                "the other run finished its epoch");

        // The stability operator logs RunFailed as the run's next event, linked into its chain.
        List<OutRecord> events;
        try (KeyedOneInputStreamOperatorTestHarness<String, TrainerOutput, OutRecord> s =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new StabilityOperator("events", Optional.empty()),
                        o -> o.runId, Types.STRING)) {
            for (TrainerOutput o : outputs) {
                if (o.runId.equals("diverges")) {
                    s.processElement(o, 0);
                }
            }
            events = s.extractOutputValues();
        }
        byte[] startedBytes = outputs.stream().filter(o -> o.runId.equals("diverges") && o.kind == TrainerOutput.Kind.START)
                .findFirst().orElseThrow().runStarted;
        RunFailed logged = CODEC.decode(events.get(events.size() - 1).value, RunFailed.class);
        assertEquals(f.failureReason, logged.getReason());
        assertEquals(1, logged.getHeader().getSequence());
        assertEquals(EventChain.hash(startedBytes), logged.getHeader().getPreviousHash());

        List<LoggedEvent> log = new ArrayList<>();
        log.add(LoggedEvent.of(CODEC.decode(startedBytes, RunStarted.class), startedBytes, Optional.empty(), Optional.empty(),
                Optional.of("diverges")));
        for (OutRecord r : events) {
            log.add(LoggedEvent.of(CODEC.decode(r.value), r.value, Optional.empty(), Optional.empty(), Optional.of("diverges")));
        }
        VerificationResult v = new DecisionVerifier().verify(RunLog.of("diverges", log));
        assertTrue(v.ok(), v.describe());
        assertTrue(v.notes().stream().anyMatch(n -> n.startsWith("the run FAILED in epoch 0 (stage train): training "
                + "diverged")), v.describe());
    }

    @Test
    void aRunWhoseDecisionNeverArrivesFailsAfterTheWaitLimit(@TempDir Path dir) throws Exception {
        long limit = 60_000;
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                TrainerCheckpointTest.harness(new HashMapStateBackend(), dir, null, TrainerInputs.NO_READS, 64L << 20,
                        JobSettingDef.RUN_MEMORY_MB.defaultValue().orElseThrow() << 20, limit)) {
            h.setProcessingTime(1_000);
            h.processElement2(TrainerInputs.runStarted("waits", spec(0.01)), 0);
            for (RunBatch b : epoch("waits")) { // epoch 0 ends; epoch 1 needs the decision the log never brings
                h.processElement1(b, 0);
            }
            h.setProcessingTime(1_000 + limit - 1);
            assertTrue(h.extractOutputValues().stream().noneMatch(o -> o.kind == TrainerOutput.Kind.FAILED),
                    "still within the limit");
            h.setProcessingTime(1_000 + limit);
            List<TrainerOutput> failed = h.extractOutputValues().stream().filter(o -> o.kind == TrainerOutput.Kind.FAILED)
                    .toList();
            assertEquals(1, failed.size(), "the run fails once the limit has passed");
            assertEquals("decision", failed.get(0).failureStage);
            assertEquals(1, failed.get(0).epoch);
            assertTrue(failed.get(0).failureReason.startsWith("no decision for epoch 1 arrived within 60 s"),
                    failed.get(0).failureReason);
        }
    }

    @Test
    void aStoppedRunPublishesItsModelAsItStandsAndItsLogSaysSo(@TempDir Path dir) throws Exception {
        List<TrainerOutput> outputs;
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                TrainerCheckpointTest.harness(new HashMapStateBackend(), dir, null, TrainerInputs.NO_READS, 64L << 20)) {
            h.processElement2(TrainerInputs.runStarted("stopped", spec(0.01)), 0);
            List<RunBatch> epoch = epoch("stopped");
            h.processElement1(epoch.get(0), 0);
            h.processElement1(epoch.get(1), 0);
            ControlEvent stop = new ControlEvent();
            stop.runId = "stopped";
            stop.type = RecordType.RUN_STOP_REQUESTED;
            stop.sequence = -1;
            stop.value = CODEC.encode(org.ocsp.schemas.avro.control.RunStopRequested.newBuilder().setRunId("stopped")
                    .setRequestedBy("alice").setReason("accurate enough").setRequestedAt(java.time.Instant.EPOCH).build());
            stop.topic = "events";
            h.processElement2(stop, 0);
            for (RunBatch b : epoch.subList(2, epoch.size())) {
                h.processElement1(b, 0);
            }
            outputs = h.extractOutputValues();
        }
        assertEquals(List.of(TrainerOutput.Kind.START, TrainerOutput.Kind.PUBLISHED), outputs.stream().map(o -> o.kind)
                .toList(), "the stopped run consumes nothing more");
        TrainerOutput published = outputs.get(1);
        assertEquals("stopped by alice at 1970-01-01T00:00:00Z: accurate enough", published.stopReason);
        String manifest = java.nio.file.Files.readString(dir.resolve("stopped").resolve("manifest.json"));
        assertTrue(manifest.contains("\"endedBy\": \"STOPPED\"") && manifest.contains("accurate enough"), manifest);

        List<OutRecord> events;
        try (KeyedOneInputStreamOperatorTestHarness<String, TrainerOutput, OutRecord> s =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new StabilityOperator("events", Optional.empty()),
                        o -> o.runId, Types.STRING)) {
            for (TrainerOutput o : outputs) {
                s.processElement(o, 0);
            }
            events = s.extractOutputValues();
        }
        List<LoggedEvent> log = new ArrayList<>();
        byte[] startedBytes = outputs.get(0).runStarted;
        log.add(LoggedEvent.of(CODEC.decode(startedBytes, RunStarted.class), startedBytes, Optional.empty(), Optional.empty(),
                Optional.of("stopped")));
        for (OutRecord r : events) {
            log.add(LoggedEvent.of(CODEC.decode(r.value), r.value, Optional.empty(), Optional.empty(), Optional.of("stopped")));
        }
        RunLog runLog = RunLog.of("stopped", log);
        org.ocsp.schemas.avro.event.ModelPublished m = runLog.first(RecordType.MODEL_PUBLISHED,
                org.ocsp.schemas.avro.event.ModelPublished.class).orElseThrow();
        assertEquals(org.ocsp.schemas.avro.event.RunEnd.STOPPED, m.getEndedBy());
        assertEquals(0, m.getFinalMetrics().getEpochsTrained());
        VerificationResult v = new DecisionVerifier().verify(runLog);
        assertTrue(v.ok(), "a stopped run's log is complete and verifies: " + v.describe());
        assertEquals(org.ocsp.flink.audit.RunStatus.State.STOPPED, org.ocsp.flink.audit.RunStatus.of(runLog).state());
    }

    @Test
    void aRefusedRunEndsWithRunRejectedInItsLog(@TempDir Path dir) throws Exception {
        RunBatch refusal = new RunBatch();
        refusal.runId = "refused";
        refusal.rejection = "the job already trains 2 runs, its limit (max-active-runs 2)";
        refusal.rejectionActiveRuns = 2;
        refusal.rejectionLimit = 2;
        List<TrainerOutput> outputs;
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                TrainerCheckpointTest.harness(new HashMapStateBackend(), dir, null, TrainerInputs.NO_READS, 64L << 20)) {
            h.processElement1(refusal, 0); // before the trainer has seen its RunStarted: held, then applied
            h.processElement2(TrainerInputs.runStarted("refused", spec(0.01)), 0);
            for (RunBatch b : epoch("refused")) {
                h.processElement1(b, 0); // (the fan-out never sends these; if any came, they are dropped)
            }
            outputs = h.extractOutputValues();
        }
        assertEquals(List.of(TrainerOutput.Kind.REJECTED), outputs.stream().map(o -> o.kind).toList());
        List<OutRecord> events;
        try (KeyedOneInputStreamOperatorTestHarness<String, TrainerOutput, OutRecord> s =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new StabilityOperator("events", Optional.empty()),
                        o -> o.runId, Types.STRING)) {
            s.processElement(outputs.get(0), 0);
            events = s.extractOutputValues();
            assertEquals(0, s.numKeyedStateEntries(), "nothing of a refused run is kept");
        }
        org.ocsp.schemas.avro.event.RunRejected r = CODEC.decode(events.get(0).value,
                org.ocsp.schemas.avro.event.RunRejected.class);
        assertEquals(1, r.getHeader().getSequence());
        assertEquals(2, r.getLimit());
        byte[] startedBytes = outputs.get(0).runStarted;
        List<LoggedEvent> log = new ArrayList<>();
        log.add(LoggedEvent.of(CODEC.decode(startedBytes, RunStarted.class), startedBytes, Optional.empty(), Optional.empty(),
                Optional.of("refused")));
        log.add(LoggedEvent.of(r, events.get(0).value, Optional.empty(), Optional.empty(), Optional.of("refused")));
        RunLog runLog = RunLog.of("refused", log);
        VerificationResult v = new DecisionVerifier().verify(runLog);
        assertTrue(v.ok(), "a refused run's log is complete: " + v.describe());
        assertEquals(org.ocsp.flink.audit.RunStatus.State.REJECTED, org.ocsp.flink.audit.RunStatus.of(runLog).state());
    }
}
