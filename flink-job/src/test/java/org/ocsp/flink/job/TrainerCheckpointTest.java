package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.job.kafka.BatchReader;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.engine.OpenMpThreads;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
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
    /** Batches of an epoch that arrive before its decision. */
    private static final int WAITING = 2;

    @AfterEach
    void restoreThreads() {
        OpenMpThreads.limitCallingThread(Runtime.getRuntime().availableProcessors());
    }

    /**
     * RocksDB is what the job runs on; the heap backend's snapshots are full, so their size is the
     * state's. A waiting-batch budget of 0 makes the trainer read every waiting batch back.
     */
    static Stream<Arguments> settings() {
        Supplier<StateBackend> rocksdb = EmbeddedRocksDBStateBackend::new;
        Supplier<StateBackend> hashmap = HashMapStateBackend::new;
        return Stream.of(Arguments.of("rocksdb", rocksdb, (JobSettingDef.WAITING_BATCH_MEMORY_MB.defaultValue().orElseThrow() << 20)),
                Arguments.of("hashmap", hashmap, (JobSettingDef.WAITING_BATCH_MEMORY_MB.defaultValue().orElseThrow() << 20)),
                Arguments.of("rocksdb, no memory for waiting batches", rocksdb, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void aRestoreFromAnyCheckpointContinuesExactlyAndTheStateHoldsNoBatches(String name, Supplier<StateBackend> backend,
            long waitingBytes, @TempDir Path dir) throws Exception {
        List<Object> stream = stream();
        StreamReader reader = new StreamReader(stream);
        List<String> uninterrupted = new ArrayList<>();
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                harness(backend.get(), dir.resolve("plain"), null, reader, waitingBytes)) {
            h.processElement2(TrainerInputs.runStarted(RUN, spec()), 0);
            for (Object input : stream) {
                feed(h, input);
            }
            uninterrupted.addAll(results(h));
        }
        // The run's first batch also passes the queue (epoch 0 opens when it arrives).
        assertEquals(waitingBytes == 0 ? 1 + 2 * WAITING : 0, reader.reads, "batches read back without a restore");
        reader.reads = 0;

        // Cut in the middle of epoch 0's TRAIN part, while epoch 1's first batches wait for its decision,
        // in the middle of epoch 2's TRAIN part.
        int epoch1 = TRAIN_BATCHES + 2;
        List<Integer> cuts = List.of(3, epoch1 + WAITING, 2 * epoch1 + 1 + WAITING + 2);
        List<String> restored = new ArrayList<>();
        List<Long> sizesAtCuts = new ArrayList<>();
        OperatorSubtaskState snapshot = null;
        int next = 0;
        for (int part = 0; part <= cuts.size(); part++) {
            int end = part < cuts.size() ? cuts.get(part) : stream.size();
            try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                    harness(backend.get(), dir.resolve("cut" + part), snapshot, reader,
                    waitingBytes)) {
                if (part == 0) {
                    h.processElement2(TrainerInputs.runStarted(RUN, spec()), 0);
                }
                for (; next < end; next++) {
                    feed(h, stream.get(next));
                }
                restored.addAll(results(h));
                if (part < cuts.size()) {
                    snapshot = h.snapshot(part + 1, part + 1);
                    sizesAtCuts.add(snapshot.getManagedKeyedState().getStateSize());
                }
            }
        }

        assertEquals(EPOCHS + 1, uninterrupted.size(), "every epoch and the published model: " + uninterrupted);
        assertEquals(uninterrupted, restored);
        assertEquals(waitingBytes == 0 ? 1 + 2 * WAITING : WAITING, reader.reads,
                "the batches waiting at the second cut are read back after the restore");
        if (name.startsWith("rocksdb")) {
            return; // incremental snapshots: their size includes files RocksDB has not compacted yet
        }
        long batchBytes = (long) BATCH * 28 * 28 * Float.BYTES;
        long spread = Collections.max(sizesAtCuts) - Collections.min(sizesAtCuts);
        assertTrue(spread < batchBytes, "keyed state in full snapshots at three cuts (" + sizesAtCuts + " bytes) differ by "
                + spread + ", less than one batch (" + batchBytes + "): no consumed batch is in the state");
    }

    /** The release whose trainer state {@link #aTrainerStateOfThePreviousReleaseContinuesExactly} restores. */
    static final String PREVIOUS_RELEASE = "776cc9d";
    /** Where the cut lands: epoch 0 done, epoch 1's first batches waiting for its decision. */
    private static final int RELEASE_CUT = TRAIN_BATCHES + 2 + WAITING;

    /**
     * Writes the fixture that the previous release's build left: run this test class in a checkout of
     * that release with {@code -Docsp.release-state.write=DIR}. The state is a heap-backend snapshot
     * (self-contained bytes; RocksDB's incremental snapshots point at local files).
     */
    @Test
    @EnabledIfSystemProperty(named = "ocsp.release-state.write", matches = ".+")
    void writeTheTrainerStateOfThisRelease(@TempDir Path dir) throws Exception {
        Path out = Path.of(System.getProperty("ocsp.release-state.write"));
        java.nio.file.Files.createDirectories(out);
        List<Object> stream = stream();
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                harness(new HashMapStateBackend(), dir, null, new StreamReader(stream),
                        JobSettingDef.WAITING_BATCH_MEMORY_MB.defaultValue().orElseThrow() << 20)) {
            h.processElement2(TrainerInputs.runStarted(RUN, spec()), 0);
            for (int i = 0; i < RELEASE_CUT; i++) {
                feed(h, stream.get(i));
            }
            java.nio.file.Files.write(out.resolve("results-before-the-cut.txt"), results(h));
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 1), out.resolve("trainer.snapshot").toString());
        }
    }

    /**
     * A trainer state written by the previous release's build (its control state in an older
     * serializer version, its model, its waiting batches' addresses) is restored by this build, and
     * the run continues bit for bit: the old build's epochs before the cut and this build's after it
     * are this build's uninterrupted run. An upgrade with {@code upgradeMode: savepoint} depends on it.
     */
    @Test
    void aTrainerStateOfThePreviousReleaseContinuesExactly(@TempDir Path dir) throws Exception {
        Path fixture = Path.of("src", "test", "resources", "release-state", PREVIOUS_RELEASE);
        long waiting = JobSettingDef.WAITING_BATCH_MEMORY_MB.defaultValue().orElseThrow() << 20;
        List<Object> stream = stream();
        List<String> uninterrupted;
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                harness(new HashMapStateBackend(), dir.resolve("plain"), null, new StreamReader(stream), waiting)) {
            h.processElement2(TrainerInputs.runStarted(RUN, spec()), 0);
            for (Object input : stream) {
                feed(h, input);
            }
            uninterrupted = results(h);
        }
        List<String> continued = new ArrayList<>(java.nio.file.Files.readAllLines(fixture.resolve("results-before-the-cut.txt")));
        OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(fixture.resolve("trainer.snapshot").toString());
        StreamReader reader = new StreamReader(stream);
        try (KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                harness(new HashMapStateBackend(), dir.resolve("restored"), old, reader, waiting)) {
            for (int i = RELEASE_CUT; i < stream.size(); i++) {
                feed(h, stream.get(i));
            }
            continued.addAll(results(h));
        }
        assertEquals(WAITING, reader.reads, "the batches waiting at the cut are read back by their stored addresses");
        assertEquals(uninterrupted, continued);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> harness(
            StateBackend backend, Path modelDir, OperatorSubtaskState restoreFrom, BatchReader reader, long waitingBytes)
            throws Exception {
        return harness(backend, modelDir, restoreFrom, reader, waitingBytes,
                JobSettingDef.RUN_MEMORY_MB.defaultValue().orElseThrow() << 20);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> harness(
            StateBackend backend, Path modelDir, OperatorSubtaskState restoreFrom, BatchReader reader, long waitingBytes,
            long runMemoryBytes) throws Exception {
        return harness(backend, modelDir, restoreFrom, reader, waitingBytes, runMemoryBytes,
                JobSettingDef.DECISION_WAIT_LIMIT_MS.defaultValue().orElseThrow());
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> harness(
            StateBackend backend, Path modelDir, OperatorSubtaskState restoreFrom, BatchReader reader, long waitingBytes,
            long runMemoryBytes, long decisionWaitLimitMillis) throws Exception {
        return harness(new Trainer(new DeadLetters("dead"), modelDir.toString(), reader, waitingBytes, runMemoryBytes,
                decisionWaitLimitMillis), backend, restoreFrom);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> harness(
            Trainer trainer, StateBackend backend, OperatorSubtaskState restoreFrom) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(new TrainerOperator(trainer),
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
            if (o.kind == TrainerOutput.Kind.EPOCH) {
                out.add("epoch " + o.epoch + " step " + o.step + " lr " + o.learningRate + " train " + o.trainLoss + "/"
                        + o.trainAccuracy + " test " + o.testLoss + "/" + o.testAccuracy + " flops " + o.flops);
            } else if (o.kind == TrainerOutput.Kind.PUBLISHED) {
                out.add("published " + o.sha256);
            }
        }
        return out;
    }

    private static RunSpec spec() {
        RunSpec spec = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, EPOCHS).build();
        spec.setBatchSize(BATCH);
        spec.getStability().setMonitorStart(1);
        return spec;
    }

    /**
     * The decision that opens epoch {@code epoch}: its MaskSnapshot, every channel kept (no
     * regularisation yet, so no penalty either way).
     */
    private static ControlEvent decision(int epoch) {
        List<GroupMask> all = ChannelGroups.derive(RunSpecs.graph(spec())).stream()
                .map(g -> GroupMask.newBuilder().setGroupId(g.id()).setOriginalWidth(g.width())
                        .setKept(java.util.stream.IntStream.range(0, g.width()).boxed().toList()).build())
                .toList();
        MaskSnapshot m = MaskSnapshot.newBuilder().setHeader(RunSpecs.header(RUN, epoch, epoch, 0, "test", "test"))
                .setGroups(all).setGroupJaccard(List.of()).setSimilarity(0).setStabilityScore(0)
                .setSaliencyDigest("").build();
        ControlEvent e = new ControlEvent();
        e.runId = RUN;
        e.type = RecordType.MASK_SNAPSHOT;
        e.sequence = epoch;
        e.epoch = epoch;
        e.value = EventCodec.create().encode(m);
        e.topic = "events";
        return e;
    }

    private static void feed(KeyedTwoInputStreamOperatorTestHarness<String, RunBatch, ControlEvent, TrainerOutput> h,
            Object input) throws Exception {
        if (input instanceof RunBatch) {
            h.processElement1((RunBatch) input, 0);
        } else {
            h.processElement2((ControlEvent) input, 0);
        }
    }

    /**
     * Per dataset epoch: TRAIN batches, one EVAL batch, the EpochEnd marker; seeded noise images.
     * From epoch 1 on, each epoch's decision comes after its first {@link #WAITING} batches, which
     * wait in the queue meanwhile.
     */
    private static List<Object> stream() {
        List<Object> s = new ArrayList<>();
        Random random = new Random(11);
        long offset = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = 0; i < TRAIN_BATCHES; i++) {
                if (epoch > 0 && i == WAITING) {
                    s.add(decision(epoch));
                }
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

    /** The batches topic for this test: the stream by offset; counts the batches read back. */
    private static final class StreamReader implements BatchReader {
        private final List<Object> stream;
        int reads;

        StreamReader(List<Object> stream) {
            this.stream = stream;
        }

        @Override
        public Map<BatchAddress, RunBatch> read(List<BatchAddress> addresses) {
            Map<BatchAddress, RunBatch> out = new HashMap<>();
            for (BatchAddress a : addresses) {
                stream.stream().filter(i -> i instanceof RunBatch && ((RunBatch) i).offset == a.offset).findFirst()
                        .ifPresent(b -> out.put(a, (RunBatch) b));
                reads++;
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    private static RunBatch batch(Random random, int epoch, boolean eval, int index, long offset) {
        return TrainerInputs.batch(RUN, random, epoch, eval, index, eval ? 1 : TRAIN_BATCHES, BATCH, offset);
    }

    private static RunBatch base(int epoch, long offset) {
        return TrainerInputs.base(RUN, epoch, offset);
    }
}
