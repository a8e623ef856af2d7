package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.flink.job.run.RunLifecycle;
import org.ocsp.flink.job.run.RunProgress;
import org.ocsp.flink.job.run.RunProgressSerializer;
import org.ocsp.flink.job.run.ScoresCodec;

class TrainerJobTest {
    @Test
    void buildFailsWithoutBootstrapServersAndSaysHowToFixIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerJob.builder().optCheckpointInterval(Duration.ofMillis(10)).optWaitingBatchMemory(-1).build());
        assertTrue(e.getMessage().contains("--bootstrap-servers"), e.getMessage());
        assertTrue(e.getMessage().contains("checkpoint-interval-ms"), e.getMessage());
        assertTrue(e.getMessage().contains("waiting-batch-memory-mb"), e.getMessage());
    }

    @Test
    void aTransactionOutlastsTheCheckpointIntervalPlusTheCheckpointTimeout() {
        Configuration c = TrainerJob.builder().setBootstrapServers("h:9092").build().configuration();
        assertTrue(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL).plus(c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .toMillis() < Long.parseLong(TrainerJob.TRANSACTION_TIMEOUT_MS), "a slow checkpoint must not let the broker "
                + "abort the transaction that holds a decision");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainerJob.builder()
                .setBootstrapServers("h:9092").optCheckpointInterval(Duration.ofMinutes(5)).build());
        assertTrue(e.getMessage().contains("must stay below the sink's transaction.timeout.ms (900000 ms)"), e.getMessage());
    }

    @Test
    void configurationUsesIncrementalRocksDbAndRetainsCheckpoints() {
        Configuration c = TrainerJob.builder().setBootstrapServers("h:9092").optCheckpointDir("file:///tmp/x").build()
                .configuration();
        assertEquals("rocksdb", c.get(StateBackendOptions.STATE_BACKEND));
        assertTrue(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
        assertEquals("file:///tmp/x", c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    }

    @Test
    void scoresSurviveTheTripBetweenOperatorsExactly() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("b", new double[] {1.5, Double.MIN_VALUE});
        m.put("a", new double[] {-0.0});
        GroupScores back = ScoresCodec.fromBytes(ScoresCodec.toBytes(new GroupScores(m)));
        assertEquals(java.util.List.of("b", "a"), java.util.List.copyOf(back.groupIds()));
        assertEquals(Double.MIN_VALUE, back.of("b")[1]);
        assertEquals(new GroupScores(m).digest(), back.digest());
    }

    @Test
    void controlStateRoundTrips() {
        RunProgress p = new RunProgress(new byte[] {1, 2, 3}, "abc", 7, Optional.of(2), Optional.of(4), 3, true, false, 5, 1,
                Optional.of(99L), Optional.of(1), new java.util.TreeMap<>(Map.of(2, 0.5)),
                new java.util.TreeMap<>(Map.of(3, Map.of("g", new int[] {0, 2}))), Optional.of(3), Map.of("g", new int[] {0, 2}),
                false, 2, 5, Optional.of("9f86d081"), Optional.of(4));
        RunProgress back = RunProgressSerializer.fromBytes(RunProgressSerializer.toBytes(p));
        assertEquals(Optional.of(4), back.streamEpoch());
        assertEquals(7, back.lastSequence());
        assertEquals(Optional.of(2), back.startDatasetEpoch());
        assertEquals(0.5, RunLifecycle.resume(back).lambdaAt(3));
        assertEquals(2, back.masks().get(3).get("g").length);
        assertEquals(Optional.of(3), back.pruneEpoch());
        assertEquals(5, back.queueTail());
        assertEquals(2, back.queueHead());
        assertEquals(Optional.of(99L), back.lastOffset());
        assertTrue(back.decisionApplied());
        assertEquals(Optional.of("9f86d081"), back.lastDecisionHash());
        assertArrayEquals(RunProgressSerializer.toBytes(p), RunProgressSerializer.toBytes(back));
    }
}
