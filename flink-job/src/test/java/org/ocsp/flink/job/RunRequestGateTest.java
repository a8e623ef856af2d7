package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.chain.TestSigningKey;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.control.RunStopRequested;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.PenaltyChanged;

/** Run requests admitted into the log (copied and signed) or dead-lettered, through Flink's harness. */
class RunRequestGateTest {
    private static final EventCodec CODEC = EventCodec.create();
    private static final byte[] RUN_STARTED = CODEC.encode(RunSpecs.runStarted("run-a",
            RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 1).build()));
    private static final byte[] STOP = CODEC.encode(RunStopRequested.newBuilder().setRunId("run-a")
            .setRequestedBy("alice").setReason("enough").setRequestedAt(Instant.EPOCH).build());
    private static final byte[] PENALTY = CODEC.encode(PenaltyChanged.newBuilder()
            .setHeader(RunSpecs.header("run-a", 4, 2, 30, "stability", "h")).setLambdaOld(0.1).setLambdaNew(0.2).build());

    private static OneInputStreamOperatorTestHarness<RawRecord, OutRecord> harness(String keyFile) throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new RunRequestGate("ocsp.events", new DeadLetters("dead"),
                1 << 20, keyFile));
    }

    private static RawRecord raw(String key, byte[] value) {
        return new RawRecord("ocsp.run-requests", 0, 5, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<RawRecord, OutRecord> h) throws Exception {
        return EmittedDeadLetters.of(h);
    }

    @Test
    void aRunStartedAndAStopAreCopiedByteForByteIntoTheLogSignedByTheJob() throws Exception {
        SigningKey job = TestSigningKey.signingKey();
        try (OneInputStreamOperatorTestHarness<RawRecord, OutRecord> h = harness(TestSigningKey.privateKeyFile().toString())) {
            h.processElement(raw("run-a", RUN_STARTED), 0);
            h.processElement(raw("run-a", STOP), 0);
            List<OutRecord> out = h.extractOutputValues();
            assertEquals(2, out.size());
            assertArrayEquals(RUN_STARTED, out.get(0).value, "the operator's bytes are the chain root the audit checks");
            assertArrayEquals(STOP, out.get(1).value);
            for (OutRecord r : out) {
                assertEquals("ocsp.events", r.topic);
                assertEquals("run-a", new String(r.key, StandardCharsets.UTF_8));
                assertEquals(job.keyId(), r.signingKeyId);
                assertTrue(job.publicKey().verifies(r.value, r.signature), "signed by the job's key");
            }
            assertEquals(List.of(), deadLetters(h));
        }
    }

    @Test
    void withoutAKeyTheCopiesAreUnsigned() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, OutRecord> h = harness(null)) {
            h.processElement(raw("run-a", RUN_STARTED), 0);
            assertNull(h.extractOutputValues().get(0).signature);
        }
    }

    @Test
    void aDecisionNotAvroAWrongKeyOrABadRunIdIsADeadLetterAndNeverReachesTheLog() throws Exception {
        byte[] escaping = CODEC.encode(RunStopRequested.newBuilder().setRunId("../run-b").setRequestedBy("mallory")
                .setReason(null).setRequestedAt(Instant.EPOCH).build());
        try (OneInputStreamOperatorTestHarness<RawRecord, OutRecord> h = harness(TestSigningKey.privateKeyFile().toString())) {
            h.processElement(raw("run-a", PENALTY), 0);
            h.processElement(raw("run-a", new byte[] {1, 2, 3}), 0);
            h.processElement(raw("run-b", RUN_STARTED), 0);
            h.processElement(raw("../run-b", escaping), 0);
            assertEquals(List.of(), h.extractOutputValues());
            List<DeadLetter> dl = deadLetters(h);
            assertEquals(4, dl.size(), dl.toString());
            dl.forEach(d -> assertEquals(RunRequestGate.STAGE, d.getStage()));
            assertTrue(dl.get(0).getReason().startsWith("Only a RunStarted or a RunStopRequested may be written to the "
                    + "run-requests topic, not a PenaltyChanged"), dl.get(0).getReason());
            assertTrue(dl.get(2).getReason().startsWith("The request's key is 'run-b' but it is for run 'run-a'"),
                    dl.get(2).getReason());
            assertTrue(dl.get(3).getReason().startsWith("Invalid run id '../run-b'"), dl.get(3).getReason());
            assertEquals(java.util.Arrays.asList("run-a", null, "run-a", null),
                    dl.stream().map(DeadLetter::getRunId).toList(), "named by the run claimed, when it is a valid id");
        }
    }
}
