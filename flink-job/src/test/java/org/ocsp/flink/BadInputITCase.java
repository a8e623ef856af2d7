package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.publish.Floats;
import org.ocsp.flink.publish.Publisher;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.data.Batch;
import org.ocsp.modelops.data.Split;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.MaskSnapshot;

/** Every kind of bad input lands in the dead-letter topic with its reason, and the run still finishes. */
class BadInputITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    static final int EPOCHS = 4;

    @Test
    void badInputGoesToDeadLettersAndTheRunFinishes(@TempDir Path dir) throws Exception {
        Topics topics = Fixtures.topics("bad");
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-b", Fixtures.spec(0.5, EPOCHS, 2));
        EventCodec codec = EventCodec.create();
        String batches = topics.batches().name();
        JobClient job = Fixtures.start(Fixtures.job(topics, dir));
        List<SpecificRecord> log;
        try {
            Fixtures.awaitRunsRegistered(topics);
            Publisher.builder().setBootstrapServers(TestKafka.bootstrapServers()).setTopics(topics)
                    .setSequence(Fixtures.sequence()).setDatasetName(Fixtures.DATASET).optEpochs(2).build().publish();
            Batch good = Fixtures.sequence().batches(0).batch(Split.TRAIN, 1);
            Fixtures.send(batches, null, new byte[] {1, 2, 3, 4, 5});                                  // not Avro
            Fixtures.send(batches, null, codec.encode(batch(good, 0, 1, List.of(good.size() + 1, 1, 28, 28),
                    good.features())));                                                                 // inconsistent shape
            float[] nan = good.features().clone();
            nan[17] = Float.NaN;
            Fixtures.send(batches, null, codec.encode(batch(good, 1, 0, List.of(good.size(), 1, 28, 28), nan)));
            float[] rgb = new float[good.size() * 3 * 28 * 28];
            Fixtures.send(batches, null, codec.encode(batch(good, 1, 0, List.of(good.size(), 3, 28, 28), rgb)));
            Fixtures.send(batches, null, codec.encode(batch(good, 0, 1, List.of(good.size(), 1, 28, 28),
                    good.features())));                                                                 // stale epoch 0
            Fixtures.send(topics.events().name(), "ghost", codec.encode(MaskSnapshot.newBuilder()
                    .setHeader(RunSpecs.header("ghost", 3, 2, 0, "test", "none")).setGroups(List.of())
                    .setComparedWithEpoch(null).setGroupJaccard(List.of()).setSimilarity(0).setStabilityScore(0)
                    .setSaliencyDigest("none").build()));                                               // unknown run
            Publisher.builder().setBootstrapServers(TestKafka.bootstrapServers()).setTopics(topics)
                    .setSequence(Fixtures.sequence()).setDatasetName(Fixtures.DATASET).optFirstEpoch(2)
                    .optEpochs(EPOCHS - 2).build().publish();
            log = Fixtures.ofRun(Fixtures.awaitPublished(topics, List.of("run-b")), "run-b");
        } finally {
            job.cancel().get();
        }
        assertEquals(EPOCHS, StreamingTrainerITCase.only(log, EpochCompleted.class).size(), "every epoch trained");

        List<DeadLetter> dead;
        try (LogReader dlq = new LogReader(TestKafka.bootstrapServers(), topics.deadLetters().name())) {
            dead = dlq.await(rs -> rs.size() >= 7, Fixtures.TIMEOUT, "7 dead letters").stream()
                    .map(DeadLetter.class::cast).collect(Collectors.toList());
        }
        Map<String, List<String>> byStage = dead.stream().collect(Collectors.groupingBy(DeadLetter::getStage,
                Collectors.mapping(DeadLetter::getReason, Collectors.toList())));
        List<String> expected = new ArrayList<>(List.of(
                "decode-batch:Not Avro single-object encoding",
                "decode-batch:Wrong shape",
                "decode-batch:Non-finite feature value NaN",
                "trainer:wrong shape: examples of shape [3, 28, 28]",
                "trainer:epoch out of order",
                "fan-out:event for unknown run 'ghost'"));
        for (String e : expected) {
            String stage = e.substring(0, e.indexOf(':'));
            String reason = e.substring(e.indexOf(':') + 1);
            assertTrue(byStage.getOrDefault(stage, List.of()).stream().anyMatch(r -> r.contains(reason)),
                    "no dead letter '" + reason + "' from stage " + stage + " in " + byStage);
        }
        assertEquals(1, dead.stream().filter(d -> "ghost".equals(d.getRunId())).count(), "one dead letter per bad event");
    }

    private static TrainingBatch batch(Batch b, int epoch, int index, List<Integer> shape, float[] features) {
        List<Integer> labels = new ArrayList<>();
        for (int y : b.labels()) {
            labels.add(y);
        }
        return TrainingBatch.newBuilder().setDatasetName(Fixtures.DATASET).setSeed(Fixtures.DATA_SEED).setEpoch(epoch)
                .setSplit(org.ocsp.schemas.avro.data.Split.TRAIN).setIndex(index).setBatchCount(null).setShape(shape)
                .setFeatures(ByteBuffer.wrap(Floats.toBytes(features, features.length))).setLabels(labels).build();
    }
}
