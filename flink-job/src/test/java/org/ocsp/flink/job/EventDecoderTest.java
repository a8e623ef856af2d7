package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.PenaltyChanged;

/** The events topic's records, decoded or dead-lettered, through Flink's process-function harness. */
class EventDecoderTest {
    private static final EventCodec CODEC = EventCodec.create();
    private static final byte[] PENALTY = CODEC.encode(PenaltyChanged.newBuilder()
            .setHeader(RunSpecs.header("run-a", 4, 2, 30, "stability", "h")).setLambdaOld(0.1).setLambdaNew(0.2).build());

    private static OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new EventDecoder(new DeadLetters("dead")));
    }

    private static RawRecord raw(String key, byte[] value) {
        return new RawRecord("ocsp.events", 0, 17, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static List<String> deadLetterReasons(OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> h)
            throws Exception {
        List<String> reasons = new ArrayList<>();
        if (h.getSideOutput(DeadLetters.TAG) != null) {
            for (StreamRecord<OutRecord> r : h.getSideOutput(DeadLetters.TAG)) {
                reasons.add(CODEC.decode(r.getValue().value, DeadLetter.class).getReason());
            }
        }
        return reasons;
    }

    @Test
    void anEventKeyedByItsRunIsDecoded() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> h = harness()) {
            h.processElement(raw("run-a", PENALTY), 0);
            List<ControlEvent> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(List.of("run-a", 4L, 2), List.of(out.get(0).runId, out.get(0).sequence, out.get(0).epoch));
            assertEquals(List.of(), deadLetterReasons(h));
        }
    }

    @Test
    void anEventUnderAnotherKeyOrNoneIsADeadLetterNotADecision() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> h = harness()) {
            h.processElement(raw("run-b", PENALTY), 0);
            h.processElement(raw(null, PENALTY), 0);
            assertEquals(List.of(), h.extractOutputValues());
            List<String> reasons = deadLetterReasons(h);
            assertEquals(2, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("The record's key is 'run-b' but its PenaltyChanged belongs to run 'run-a'"),
                    reasons.get(0));
            assertTrue(reasons.get(1).startsWith("The record has no key but its PenaltyChanged belongs to run"),
                    reasons.get(1));
        }
    }

    @Test
    void aRecordOverTheSizeLimitIsADeadLetterBeforeItIsDecoded() throws Exception {
        byte[] big = java.util.Arrays.copyOf(PENALTY, 2000); // the valid event, padded past the limit
        try (OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> h =
                     ProcessFunctionTestHarnesses.forProcessFunction(new EventDecoder(new DeadLetters("dead", 100), 1024))) {
            h.processElement(raw("run-a", big), 0);
            h.processElement(raw("run-a", PENALTY), 0);
            assertEquals(1, h.extractOutputValues().size(), "the record within the limit is decoded");
            List<String> reasons = deadLetterReasons(h);
            assertEquals(List.of("The record has 2000 bytes, more than the limit of 1024 (max-event-record-bytes)"), reasons);
            DeadLetter d = CODEC.decode(h.getSideOutput(DeadLetters.TAG).peek().getValue().value, DeadLetter.class);
            assertEquals(100, d.getPayload().remaining(), "the dead letter keeps dead-letter-payload-bytes of it");
            assertEquals(2000L, d.getPayloadSize());
        }
    }

    @Test
    void withTheJobsKeyOnlyItsOwnSignedEventsPassRunStartedIncluded() throws Exception {
        org.ocsp.flink.chain.SigningKey jobKey = org.ocsp.flink.chain.TestSigningKey.signingKey();
        java.nio.file.Path keyFile = org.ocsp.flink.chain.TestSigningKey.privateKeyFile();
        byte[] runStarted = CODEC.encode(RunSpecs.runStarted("run-a",
                RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 1).build()));
        try (OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> h = ProcessFunctionTestHarnesses
                .forProcessFunction(new EventDecoder(new DeadLetters("dead"), 1 << 20, keyFile.toString()))) {
            RawRecord signed = raw("run-a", PENALTY);
            signed.signature = jobKey.sign(PENALTY).signature();
            signed.signingKeyId = jobKey.keyId();
            RawRecord otherKey = raw("run-a", PENALTY);
            java.nio.file.Path other = java.nio.file.Files.createTempDirectory("other-key");
            org.ocsp.flink.chain.SigningKey.generate(other.resolve("k.pem"), other.resolve("k.pub.pem"));
            otherKey.signature = org.ocsp.flink.chain.SigningKey.read(other.resolve("k.pem")).sign(PENALTY).signature();
            otherKey.signingKeyId = jobKey.keyId();
            RawRecord admitted = raw("run-a", runStarted);    // a request the job admitted into the log
            admitted.signature = jobKey.sign(runStarted).signature();
            admitted.signingKeyId = jobKey.keyId();
            h.processElement(admitted, 0);
            h.processElement(raw("run-a", runStarted), 0);      // written to the log by someone else
            h.processElement(signed, 0);
            h.processElement(raw("run-a", PENALTY), 0);         // a decision written by anyone else
            h.processElement(otherKey, 0);
            assertEquals(2, h.extractOutputValues().size(), "RunStarted and the job's own PenaltyChanged");
            List<String> reasons = deadLetterReasons(h);
            assertEquals(3, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("The RunStarted is not signed: only the job writes the run log"),
                    reasons.get(0));
            assertTrue(reasons.get(1).startsWith("The PenaltyChanged is not signed: only the job writes the run log"),
                    reasons.get(1));
            assertTrue(reasons.get(2).startsWith("The PenaltyChanged is not signed by this job's key"), reasons.get(2));
        }
    }

    @Test
    void anEventWhoseRunIdCouldNameAPathIsADeadLetter() throws Exception {
        byte[] escaping = CODEC.encode(PenaltyChanged.newBuilder()
                .setHeader(RunSpecs.header("../run-b", 4, 2, 30, "stability", "h")).setLambdaOld(0.1).setLambdaNew(0.2)
                .build());
        try (OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> h = harness()) {
            h.processElement(raw("../run-b", escaping), 0);
            assertEquals(List.of(), h.extractOutputValues());
            List<String> reasons = deadLetterReasons(h);
            assertEquals(1, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("Invalid run id '../run-b'"), reasons.get(0));
        }
    }

    @Test
    void aStopRequestIsDecodedWithoutASequenceAndMustBeKeyedByItsRun() throws Exception {
        byte[] stop = CODEC.encode(org.ocsp.schemas.avro.control.RunStopRequested.newBuilder().setRunId("r1")
                .setRequestedBy("alice").setReason(null).setRequestedAt(java.time.Instant.EPOCH).build());
        try (OneInputStreamOperatorTestHarness<RawRecord, ControlEvent> h = harness()) {
            h.processElement(raw("r1", stop), 0);
            h.processElement(raw("r2", stop), 0);
            List<ControlEvent> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(org.ocsp.schemas.RecordType.RUN_STOP_REQUESTED, out.get(0).type);
            assertEquals("r1", out.get(0).runId);
            assertEquals(-1, out.get(0).sequence);
            assertTrue(deadLetterReasons(h).get(0).startsWith("The record's key is 'r2' but its RunStopRequested belongs "
                    + "to run 'r1'"), deadLetterReasons(h).toString());
        }
    }
}
