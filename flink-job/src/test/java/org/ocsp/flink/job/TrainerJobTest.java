package org.ocsp.flink.job;

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

class TrainerJobTest {
    @Test
    void buildFailsWithoutBootstrapServersAndSaysHowToFixIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerJob.builder().optCheckpointInterval(Duration.ofMillis(10)).optWaitingBatchMemory(-1).build());
        assertTrue(e.getMessage().contains("--bootstrap-servers"), e.getMessage());
        assertTrue(e.getMessage().contains("checkpointInterval"), e.getMessage());
        assertTrue(e.getMessage().contains("waitingBatchMemory"), e.getMessage());
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
        RunControl c = new RunControl();
        c.runStarted = new byte[] {1, 2, 3};
        c.configHash = "abc";
        c.lastSequence = 7;
        c.startDatasetEpoch = Optional.of(2);
        c.trainBatchesPerEpoch = Optional.of(4);
        c.epoch = 3;
        c.masks.put(3, Map.of("g", new int[] {0, 2}));
        c.lambdas.put(2, 0.5);
        c.pruneEpoch = Optional.of(3);
        c.pruneMask = Map.of("g", new int[] {0, 2});
        c.queueHead = 2;
        c.queueTail = 5;
        RunControl back = RunControl.fromBytes(c.toBytes());
        assertEquals(7, back.lastSequence);
        assertEquals(Optional.of(2), back.startDatasetEpoch);
        assertEquals(0.5, back.lambdaAt(3));
        assertEquals(2, back.masks.get(3).get("g").length);
        assertEquals(Optional.of(3), back.pruneEpoch);
        assertEquals(5, back.queueTail);
        assertEquals(2, back.queueHead);
    }
}
