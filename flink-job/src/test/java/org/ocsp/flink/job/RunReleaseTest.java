package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.job.kafka.BatchReader;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * Many short runs one after another on one task: every ended run releases its model, queue and
 * stability state, so the keyed state after the last run is what it was after the first: one
 * small, fixed-size tombstone per run in the trainer, nothing in the stability operator.
 */
class RunReleaseTest {
    private static final int RUNS = 200;
    private static final int BATCH = 8;

    private static final BatchReader NO_READS = new BatchReader() {
        @Override
        public Map<BatchAddress, RunBatch> read(List<BatchAddress> addresses) {
            return Map.of();
        }

        @Override
        public void close() {
        }
    };

    @Test
    void endedRunsLeaveOnlyATombstone(@TempDir Path dir) throws Exception {
        EventCodec codec = EventCodec.create();
        RunSpec spec = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 1).build();
        spec.setBatchSize(BATCH);
        spec.getStability().setMonitorStart(1); // one epoch, no decision: START, EPOCH, PUBLISHED
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> trainer =
                     TrainerCheckpointTest.harness(new HashMapStateBackend(), dir, null, NO_READS, 64L << 20);
             KeyedOneInputStreamOperatorTestHarness<String, TrainerOutput, OutRecord> stability =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(new StabilityOperator("events", Optional.empty()),
                             o -> o.runId, Types.STRING)) {
            int forwarded = 0;
            int afterFirst = -1;
            for (int run = 0; run < RUNS; run++) {
                String id = "run-" + run;
                ControlEvent started = new ControlEvent();
                started.runId = id;
                started.type = RecordType.RUN_STARTED;
                started.value = codec.encode(RunSpecs.runStarted(id, spec));
                started.topic = "events";
                trainer.processElement2(started, 0);
                for (RunBatch b : epoch(id, run)) {
                    trainer.processElement1(b, 0);
                }
                List<TrainerOutput> outputs = trainer.extractOutputValues();
                for (TrainerOutput o : outputs.subList(forwarded, outputs.size())) {
                    stability.processElement(o, 0);
                }
                forwarded = outputs.size();
                assertEquals(TrainerOutput.Kind.PUBLISHED, outputs.get(outputs.size() - 1).kind, id + " finished");
                assertEquals(0, stability.numKeyedStateEntries(), id + ": the stability operator keeps nothing of ended runs");
                if (run == 0) {
                    afterFirst = trainer.numKeyedStateEntries();
                }
            }
            assertEquals(afterFirst + RUNS - 1, trainer.numKeyedStateEntries(),
                    "one control tombstone per ended run, no model tensors, no queued addresses");
            assertTrue(afterFirst <= 1, "after one run only its tombstone is left: " + afterFirst);
        }
    }

    private static List<RunBatch> epoch(String runId, int run) {
        Random random = new Random(run);
        List<RunBatch> s = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunBatch b = new RunBatch();
            b.runId = runId;
            b.datasetName = "fashion-mnist";
            b.epoch = 0;
            b.topic = "batches";
            b.offset = i;
            b.eval = i == 2;
            b.index = b.eval ? 0 : i;
            b.batchCount = b.eval ? 1 : 2;
            b.n = BATCH;
            b.c = 1;
            b.h = 28;
            b.w = 28;
            b.features = new float[BATCH * 28 * 28];
            for (int k = 0; k < b.features.length; k++) {
                b.features[k] = (float) random.nextGaussian();
            }
            b.labels = new int[BATCH];
            for (int k = 0; k < BATCH; k++) {
                b.labels[k] = random.nextInt(10);
            }
            s.add(b);
        }
        RunBatch end = new RunBatch();
        end.runId = runId;
        end.datasetName = "fashion-mnist";
        end.epoch = 0;
        end.topic = "batches";
        end.offset = 3;
        end.epochEnd = true;
        end.trainBatches = 2;
        end.evalBatches = 1;
        s.add(end);
        return s;
    }
}
