package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * Many short runs one after another on one task: every ended run releases its model, queue and
 * stability state, so the keyed state after the last run is what it was after the first: one
 * small, fixed-size tombstone per run in the trainer, nothing in the stability operator; the
 * checkpoint grows by that tombstone per run, and no ended run's model or gauges stay in memory.
 */
class RunReleaseTest {
    private static final int RUNS = 200;
    private static final int BATCH = 8;

    @Test
    void endedRunsLeaveOnlyATombstone(@TempDir Path dir) throws Exception {
        RunSpec spec = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 1).build();
        spec.setBatchSize(BATCH);
        spec.getStability().setMonitorStart(1); // one epoch, no decision: START, EPOCH, PUBLISHED
        Trainer function = new Trainer(new DeadLetters("dead"), dir.toString(), TrainerInputs.NO_READS, 64L << 20,
                JobSettingDef.RUN_MEMORY_MB.defaultValue().orElseThrow() << 20,
                JobSettingDef.DECISION_WAIT_LIMIT_MS.defaultValue().orElseThrow());
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> trainer =
                     TrainerCheckpointTest.harness(function, new HashMapStateBackend(), null);
             KeyedOneInputStreamOperatorTestHarness<String, TrainerOutput, OutRecord> stability =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(new StabilityOperator("events", Optional.empty()),
                             o -> o.runId, Types.STRING)) {
            int forwarded = 0;
            int afterFirst = -1;
            long checkpointAfterFirst = -1;
            for (int run = 0; run < RUNS; run++) {
                String id = "run-" + run;
                trainer.processElement2(TrainerInputs.runStarted(id, spec), 0);
                for (RunBatch b : TrainerInputs.epoch(id, run, 2, BATCH)) {
                    trainer.processElement1(b, 0);
                }
                List<TrainerOutput> outputs = trainer.extractOutputValues();
                for (TrainerOutput o : outputs.subList(forwarded, outputs.size())) {
                    stability.processElement(o, 0);
                }
                forwarded = outputs.size();
                assertEquals(TrainerOutput.Kind.PUBLISHED, outputs.get(outputs.size() - 1).kind, id + " finished");
                assertEquals(0, stability.numKeyedStateEntries(), id + ": the stability operator keeps nothing of ended runs");
                assertEquals(0, function.runsInMemory(), id + ": no model or gauges of an ended run stay in memory");
                if (run == 0) {
                    afterFirst = trainer.numKeyedStateEntries();
                    checkpointAfterFirst = checkpointBytes(trainer, run);
                }
            }
            long perRun = (checkpointBytes(trainer, RUNS) - checkpointAfterFirst) / (RUNS - 1);
            // A fashion-vgg model with its momentum is about a megabyte in a checkpoint; a tombstone (the run's
            // phase and config hash, so a re-used id can be told apart) was 453 bytes when this was written.
            assertTrue(perRun < 1024, "each ended run adds " + perRun + " bytes to the checkpoint, more than its tombstone");
            assertEquals(afterFirst + RUNS - 1, trainer.numKeyedStateEntries(),
                    "one control tombstone per ended run, no model tensors, no queued addresses");
            assertTrue(afterFirst <= 1, "after one run only its tombstone is left: " + afterFirst);
        }
    }

    private static long checkpointBytes(KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent,
            TrainerOutput> trainer, long id) throws Exception {
        return trainer.snapshot(id, id).getStateSize();
    }
}
