package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.flink.job.deadletter.DeadLetters;

class RunFanOutTest {
    private static final EventCodec CODEC = EventCodec.create();

    private static ControlEvent event(String run, RecordType type, long sequence, byte[] value) {
        ControlEvent e = new ControlEvent();
        e.runId = run;
        e.type = type;
        e.sequence = sequence;
        e.value = value;
        e.topic = "events";
        return e;
    }

    private static ControlEvent started(String run) {
        return event(run, RecordType.RUN_STARTED, 0, CODEC.encode(RunSpecs.runStarted(run,
                RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 3).build())));
    }

    private static ControlEvent published(String run, long sequence) {
        return event(run, RecordType.MODEL_PUBLISHED, sequence, new byte[0]);
    }

    private static RunBatch batch(int index) {
        RunBatch b = new RunBatch();
        b.datasetName = "fashion-mnist";
        b.index = index;
        return b;
    }

    private static BroadcastOperatorTestHarness<RunBatch, ControlEvent, RunBatch> harness() throws Exception {
        return harness(JobSettingDef.MAX_ACTIVE_RUNS.defaultValue().orElseThrow());
    }

    private static BroadcastOperatorTestHarness<RunBatch, ControlEvent, RunBatch> harness(int maxActiveRuns)
            throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new RunFanOut(new DeadLetters("dead"),
                maxActiveRuns), RunFanOut.RUNS, RunFanOut.FINISHED, RunFanOut.REJECTED);
    }

    private static List<String> receivers(BroadcastOperatorTestHarness<RunBatch, ControlEvent, RunBatch> h, int index) {
        return h.extractOutputValues().stream().filter(b -> b.rejection == null && b.index == index).map(b -> b.runId).sorted()
                .collect(Collectors.toList());
    }

    @Test
    void aRunNoLongerGetsBatchesAfterItsModelIsPublished() throws Exception {
        try (BroadcastOperatorTestHarness<RunBatch, ControlEvent, RunBatch> h = harness()) {
            h.processBroadcastElement(started("a"), 1);
            h.processBroadcastElement(started("b"), 2);
            h.processElement(batch(0), 3);
            h.processBroadcastElement(published("a", 9), 4);
            h.processElement(batch(1), 5);
            assertEquals(List.of("a", "b"), receivers(h, 0));
            assertEquals(List.of("b"), receivers(h, 1), "run a finished: only b is fed");
        }
    }

    @Test
    void aFinishedRunStaysKnownItsEventsAreNoDeadLettersAndARepeatedRunStartedDoesNotRevive() throws Exception {
        try (BroadcastOperatorTestHarness<RunBatch, ControlEvent, RunBatch> h = harness()) {
            h.processBroadcastElement(started("a"), 1);
            h.processBroadcastElement(published("a", 9), 2);
            h.processBroadcastElement(published("a", 9), 3); // a duplicate read of the same event
            h.processBroadcastElement(started("a"), 4);
            h.processElement(batch(0), 5);
            assertEquals(List.of(), receivers(h, 0));
            assertTrue(h.getSideOutput(DeadLetters.TAG) == null || h.getSideOutput(DeadLetters.TAG).isEmpty(),
                    "dead letters: " + h.getSideOutput(DeadLetters.TAG));
        }
    }

    @Test
    void anEventOfARunNeverStartedIsStillADeadLetter() throws Exception {
        try (BroadcastOperatorTestHarness<RunBatch, ControlEvent, RunBatch> h = harness()) {
            h.processBroadcastElement(published("ghost", 5), 1);
            assertEquals(1, h.getSideOutput(DeadLetters.TAG).size());
        }
    }

    @Test
    void aRunBeyondTheActiveRunLimitIsRefusedAndAnEndedRunMakesRoom() throws Exception {
        try (BroadcastOperatorTestHarness<RunBatch, ControlEvent, RunBatch> h = harness(2)) {
            h.processBroadcastElement(started("a"), 1);
            h.processBroadcastElement(started("b"), 2);
            h.processBroadcastElement(started("c"), 3);
            List<RunBatch> refusals = h.extractOutputValues().stream().filter(b -> b.rejection != null).toList();
            assertEquals(1, refusals.size());
            assertEquals("c", refusals.get(0).runId);
            assertEquals(2, refusals.get(0).rejectionActiveRuns);
            assertEquals(2, refusals.get(0).rejectionLimit);
            assertTrue(refusals.get(0).rejection.startsWith("the job already trains 2 runs, its limit (max-active-runs 2)"),
                    refusals.get(0).rejection);
            h.processElement(batch(0), 4);
            assertEquals(List.of("a", "b"), receivers(h, 0), "the refused run is not fed");
            h.processBroadcastElement(published("a", 9), 5);
            h.processBroadcastElement(started("d"), 6);
            h.processElement(batch(1), 7);
            assertEquals(List.of("b", "d"), receivers(h, 1), "an ended run made room for the next one");
            h.processBroadcastElement(started("c"), 8); // the refused id again: known, not started now
            h.processElement(batch(2), 9);
            assertEquals(List.of("b", "d"), receivers(h, 2));
        }
    }
}
