package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.RunSpec;

/** RunStarted events the trainer refuses up front, so that no run can take the task down later. */
class TrainerRefusalsTest {
    private static final EventCodec CODEC = EventCodec.create();

    private static List<DeadLetter> deadLetters(KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent,
            TrainerOutput> h) throws Exception {
        return EmittedDeadLetters.of(h);
    }

    @Test
    void aRunThatCannotFitIsRefusedWhenItStartsAndTheNextRunIsTaken(@TempDir Path dir) throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                TrainerCheckpointTest.harness(new HashMapStateBackend(), dir, null, TrainerInputs.NO_READS, 0, 1024L << 20)) {
            RunSpec huge = RunSpecs.reference("fashion-vgg", 50_000_000, List.of(1, 28, 28), 0.5, 2).build();
            h.processElement2(new StreamRecord<>(TrainerInputs.runStarted("huge", huge)));
            List<DeadLetter> refused = deadLetters(h);
            assertEquals(1, refused.size(), "dead letters: " + refused);
            String reason = refused.get(0).getReason();
            assertTrue(reason.contains("more than run-memory-mb allows (1024 MiB)"), reason);
            assertTrue(reason.contains("training it needs about"), reason);

            RunSpec fits = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 2).build();
            h.processElement2(new StreamRecord<>(TrainerInputs.runStarted("fits", fits)));
            assertEquals(1, deadLetters(h).size(), "dead letters: " + deadLetters(h));
        }
    }

    @Test
    void aMalformedMaskReadBackFromTheLogIsADeadLetterNotADecision(@TempDir Path dir) throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                TrainerCheckpointTest.harness(new HashMapStateBackend(), dir, null, TrainerInputs.NO_READS, 0)) {
            RunSpec spec = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 4).build();
            h.processElement2(new StreamRecord<>(TrainerInputs.runStarted("r", spec)));
            List<GroupMask> groups = new ArrayList<>();
            for (ChannelGroup g : ChannelGroups.derive(RunSpecs.graph(spec))) {
                groups.add(GroupMask.newBuilder().setGroupId(g.id()).setOriginalWidth(g.width())
                        .setKept(groups.isEmpty() ? List.of(0, 0, 1) : List.of(0, 1)).build());
            }
            MaskSnapshot m = MaskSnapshot.newBuilder().setHeader(RunSpecs.header("r", 1, 1, 0, "stability", "h"))
                    .setGroups(groups).setGroupJaccard(List.of()).setSimilarity(0).setStabilityScore(0)
                    .setSaliencyDigest("").build();
            ControlEvent e = new ControlEvent();
            e.runId = "r";
            e.type = RecordType.MASK_SNAPSHOT;
            e.sequence = 1;
            e.epoch = 1;
            e.value = CODEC.encode(m);
            e.topic = "events";
            h.processElement2(new StreamRecord<>(e));
            List<DeadLetter> refused = deadLetters(h);
            assertEquals(1, refused.size(), "dead letters: " + refused);
            assertTrue(refused.get(0).getReason().startsWith("cannot apply MASK_SNAPSHOT: the mask's kept channels of group "
                    + groups.get(0).getGroupId() + " [0, 0, 1]"), refused.get(0).getReason());
        }
    }
}
