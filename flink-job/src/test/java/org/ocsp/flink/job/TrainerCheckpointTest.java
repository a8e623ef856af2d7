package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.engine.OpenMpThreads;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * The trainer writes its live model into keyed state (RocksDB) when a checkpoint is taken, in the
 * middle of an epoch too, and a restore from any such checkpoint continues bit for bit: the epochs'
 * losses, accuracies and the published model's hash equal those of a run without restores. The
 * state holds the model and the run's control, never the consumed batches.
 */
class TrainerCheckpointTest {
    private static final String RUN = "run-c";
    private static final int EPOCHS = 3;
    private static final int TRAIN_BATCHES = 5;
    private static final int BATCH = 16;

    @AfterEach
    void restoreThreads() {
        OpenMpThreads.limitCallingThread(Runtime.getRuntime().availableProcessors());
    }

    /** RocksDB is what the job runs on; the heap backend's snapshots are full, so their size is the state's. */
    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of("rocksdb", (Supplier<StateBackend>) EmbeddedRocksDBStateBackend::new),
                Arguments.of("hashmap", (Supplier<StateBackend>) HashMapStateBackend::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aRestoreFromAnyCheckpointContinuesExactlyAndTheStateHoldsNoBatches(String name, Supplier<StateBackend> backend,
            @TempDir Path dir) throws Exception {
        List<RunBatch> stream = stream();
        List<String> uninterrupted = new ArrayList<>();
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                harness(backend.get(), dir.resolve("plain"), null)) {
            h.processElement2(runStarted(), 0);
            for (RunBatch b : stream) {
                h.processElement1(b, 0);
            }
            uninterrupted.addAll(results(h));
        }

        // Cut in the middle of epoch 0's TRAIN part, between epochs 0 and 1, in the middle of epoch 1's EVAL part.
        List<Integer> cuts = List.of(3, TRAIN_BATCHES + 2, 2 * (TRAIN_BATCHES + 2) + TRAIN_BATCHES + 1);
        List<String> restored = new ArrayList<>();
        List<Long> sizesAtCuts = new ArrayList<>();
        OperatorSubtaskState snapshot = null;
        int next = 0;
        for (int part = 0; part <= cuts.size(); part++) {
            int end = part < cuts.size() ? cuts.get(part) : stream.size();
            try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                    harness(backend.get(), dir.resolve("cut" + part), snapshot)) {
                if (part == 0) {
                    h.processElement2(runStarted(), 0);
                }
                for (; next < end; next++) {
                    h.processElement1(stream.get(next), 0);
                }
                restored.addAll(results(h));
                if (part < cuts.size()) {
                    snapshot = h.snapshot(part + 1, part + 1);
                    sizesAtCuts.add(snapshot.getStateSize());
                }
            }
        }

        assertEquals(EPOCHS + 1, uninterrupted.size(), "every epoch and the published model: " + uninterrupted);
        assertEquals(uninterrupted, restored);
        if (name.equals("rocksdb")) {
            return; // incremental snapshots: their size includes files RocksDB has not compacted yet
        }
        long batchBytes = (long) BATCH * 28 * 28 * Float.BYTES;
        long spread = Collections.max(sizesAtCuts) - Collections.min(sizesAtCuts);
        assertTrue(spread < batchBytes, "full snapshots after 3, 7 and 20 batches (" + sizesAtCuts + " bytes) differ by "
                + spread + ", less than one batch (" + batchBytes + "): no consumed batch is in the state");
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> harness(
            StateBackend backend, Path modelDir, OperatorSubtaskState restoreFrom) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new TrainerOperator(new Trainer(new DeadLetters("dead"), modelDir.toString())),
                        b -> b.runId, e -> e.runId, Types.STRING);
        h.setStateBackend(backend);
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    /** What must not depend on restores: per epoch its losses, accuracies, step and lr; the final model's hash. */
    private static List<String> results(KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent,
            TrainerOutput> h) {
        assertFalse(h.getSideOutput(DeadLetters.TAG) != null && !h.getSideOutput(DeadLetters.TAG).isEmpty(),
                "dead letters: " + h.getSideOutput(DeadLetters.TAG));
        List<String> out = new ArrayList<>();
        for (TrainerOutput o : h.extractOutputValues()) {
            if (TrainerOutput.EPOCH.equals(o.kind)) {
                out.add("epoch " + o.epoch + " step " + o.step + " lr " + o.learningRate + " train " + o.trainLoss + "/"
                        + o.trainAccuracy + " test " + o.testLoss + "/" + o.testAccuracy + " flops " + o.flops);
            } else if (TrainerOutput.PUBLISHED.equals(o.kind)) {
                out.add("published " + o.sha256);
            }
        }
        return out;
    }

    private static ControlEvent runStarted() {
        RunSpec spec = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, EPOCHS).build();
        spec.setBatchSize(BATCH);
        spec.getStability().setMonitorStart(EPOCHS + 1); // no decision needed: this test is about the model's state
        ControlEvent e = new ControlEvent();
        e.runId = RUN;
        e.type = RecordType.RUN_STARTED.name();
        e.sequence = 0;
        e.value = EventCodec.create().encode(RunSpecs.runStarted(RUN, spec));
        e.topic = "events";
        return e;
    }

    /** Per dataset epoch: TRAIN batches, one EVAL batch, the EpochEnd marker; seeded noise images. */
    private static List<RunBatch> stream() {
        List<RunBatch> s = new ArrayList<>();
        Random random = new Random(11);
        long offset = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = 0; i < TRAIN_BATCHES; i++) {
                s.add(batch(random, epoch, false, i, offset++));
            }
            s.add(batch(random, epoch, true, 0, offset++));
            RunBatch end = base(epoch, offset++);
            end.epochEnd = true;
            end.trainBatches = TRAIN_BATCHES;
            end.evalBatches = 1;
            s.add(end);
        }
        return s;
    }

    private static RunBatch batch(Random random, int epoch, boolean eval, int index, long offset) {
        RunBatch b = base(epoch, offset);
        b.eval = eval;
        b.index = index;
        b.batchCount = eval ? 1 : TRAIN_BATCHES;
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
        return b;
    }

    private static RunBatch base(int epoch, long offset) {
        RunBatch b = new RunBatch();
        b.runId = RUN;
        b.datasetName = "fashion-mnist";
        b.epoch = epoch;
        b.topic = "batches";
        b.offset = offset;
        return b;
    }
}
