package org.ocsp.flink.job.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.state.MapState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.train.TrainingSession;
import org.ocsp.flink.job.run.LiveRun;

/**
 * Writes a live run into keyed map state: one entry per tensor (RocksDB values stay far below 2^31
 * bytes), the momentum buffer in per-tensor slices, and the run's position (iteration, the epoch's
 * sums); and reads them back. Called when a checkpoint is taken, only for runs that changed since
 * the last one: between checkpoints the tensors live in native memory and are never re-serialised.
 */
public final class ModelStateStore {
    private static final String PARAM = "param/";
    private static final String MOMENTUM = "momentum/";
    private static final String PROGRESS = "progress";
    private static final int PROGRESS_VERSION = 1;

    private ModelStateStore() {
    }

    static void save(LiveRun r, MapState<String, byte[]> state) throws Exception {
        state.clear();
        TrainingSession s = r.session;
        ParameterStore p = s.params();
        Optional<float[]> momentum = s.momentum();
        for (TensorRef ref : p.refs()) {
            INDArray t = p.tensor(ref.layer(), ref.kind());
            state.put(PARAM + ref.key(), bytes(t.dup('c').data().asFloat(), 0, (int) t.length()));
            if (momentum.isPresent() && ref.kind().trainable()) {
                state.put(MOMENTUM + ref.key(), bytes(momentum.get(), (int) p.offset(ref), (int) t.length()));
            }
        }
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(progress)) {
            out.writeInt(PROGRESS_VERSION);
            r.writeProgress(out);
        }
        state.put(PROGRESS, progress.toByteArray());
    }

    /** Whether a run has been written here (by a checkpoint since it started). */
    static boolean saved(MapState<String, byte[]> state) throws Exception {
        return state.contains(PROGRESS);
    }

    /**
     * Restores tensors, momentum, iteration and the epoch's sums into a live run whose network
     * matches the saved one (pruned first if the saved one was).
     */
    static void load(LiveRun r, MapState<String, byte[]> state) throws Exception {
        Optional<float[]> momentum = loadTensors(r.session, state);
        byte[] progress = state.get(PROGRESS);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(progress))) {
            int version = in.readInt();
            if (version != PROGRESS_VERSION) {
                throw new IllegalStateException("Checkpointed run position has version " + version + ", this build reads "
                        + PROGRESS_VERSION);
            }
            r.session.restorePosition(r.readProgress(in), momentum);
        }
    }

    private static Optional<float[]> loadTensors(TrainingSession s, MapState<String, byte[]> state) throws Exception {
        ParameterStore p = s.params();
        float[] momentum = new float[(int) p.flatParams().length()];
        boolean hasMomentum = false;
        for (Map.Entry<TensorRef, long[]> e : p.shapes().entrySet()) {
            TensorRef ref = e.getKey();
            byte[] data = state.get(PARAM + ref.key());
            if (data == null) {
                throw new IllegalStateException("Checkpointed model state has no tensor " + ref.key());
            }
            float[] f = floats(data);
            INDArray t = p.tensor(ref.layer(), ref.kind());
            if (f.length != t.length()) {
                throw new IllegalStateException("Checkpointed tensor " + ref.key() + " has " + f.length
                        + " values, the network needs " + t.length());
            }
            t.assign(Nd4j.createFromArray(f).reshape(e.getValue()).castTo(t.dataType()));
            byte[] m = ref.kind().trainable() ? state.get(MOMENTUM + ref.key()) : null;
            if (m != null) {
                float[] mf = floats(m);
                System.arraycopy(mf, 0, momentum, (int) p.offset(ref), mf.length);
                hasMomentum = true;
            }
        }
        return hasMomentum ? Optional.of(momentum) : Optional.empty();
    }

    private static byte[] bytes(float[] values, int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values, from, count);
        return b.array();
    }

    private static float[] floats(byte[] data) {
        float[] f = new float[data.length / Float.BYTES];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
