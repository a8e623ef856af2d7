package org.ocsp.flink.job;

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

/**
 * Writes a session's tensors into keyed map state, one entry per tensor (RocksDB values stay far
 * below 2^31 bytes), and the momentum buffer in per-tensor slices; and reads them back. Called at
 * epoch boundaries only: while an epoch trains, the tensors live in native memory.
 */
final class ModelStateStore {
    private static final String PARAM = "param/";
    private static final String MOMENTUM = "momentum/";

    private ModelStateStore() {
    }

    static void save(TrainingSession s, MapState<String, byte[]> state) throws Exception {
        state.clear();
        ParameterStore p = s.params();
        Optional<float[]> momentum = s.momentum();
        for (TensorRef ref : p.refs()) {
            INDArray t = p.tensor(ref.layer(), ref.kind());
            state.put(PARAM + ref.key(), bytes(t.dup('c').data().asFloat(), 0, (int) t.length()));
            if (momentum.isPresent() && ref.kind().trainable()) {
                state.put(MOMENTUM + ref.key(), bytes(momentum.get(), (int) p.offset(ref), (int) t.length()));
            }
        }
    }

    /** Restores tensors and momentum into a session whose graph matches the saved one. */
    static Optional<float[]> load(TrainingSession s, MapState<String, byte[]> state) throws Exception {
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
