package org.ocsp.modelops.train;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;

/**
 * SGD's update (weight decay, momentum or Nesterov, the step) and the regulariser's shrink as one
 * pass over the flat float32 buffers in host memory, element by element in PyTorch's order:
 * {@code d = g + wd w; v = m v + d; u = nesterov ? d + m v : v; w = w - lr u; w = w - lambda lr s w}.
 * The gradient buffer ends up holding {@code u} (with Nesterov) or {@code d}, as the vector-op
 * path leaves it.
 */
final class FusedSgdPass {
    // Held so the native buffers outlive the NIO views (a view does not keep them alive).
    private final INDArray params;
    private final INDArray grads;
    private final INDArray velocity;
    private final FloatBuffer w;
    private final FloatBuffer g;
    private final FloatBuffer v;
    private final int wOffset;
    private final int gOffset;
    private final int n;
    /** The regulariser's selection vector last seen and its view (it changes only with the mask). */
    private INDArray selected;
    private FloatBuffer s;

    /** Float32 buffers in host memory: ND4J's CPU backend (its CUDA backend keeps them on the device). */
    static boolean supports(ParameterStore store) {
        return store.dataType() == DataType.FLOAT && Nd4j.getBackend().getClass().getName().endsWith("CpuBackend")
                && store.flatParams().elementWiseStride() == 1 && store.flatGradients().elementWiseStride() == 1;
    }

    FusedSgdPass(ParameterStore store, INDArray velocity) {
        this.params = store.flatParams();
        this.grads = store.flatGradients();
        this.velocity = velocity;
        this.w = params.data().asNioFloat();
        this.g = grads.data().asNioFloat();
        this.v = velocity == null ? null : velocity.data().asNioFloat();
        this.wOffset = Math.toIntExact(params.offset());
        this.gOffset = Math.toIntExact(grads.offset());
        this.n = Math.toIntExact(params.length());
    }

    /**
     * @param haveMomentum false on the first step: the velocity starts as the first update
     * @param shrink lambda * lr for the selected entries of {@code selected} (ignored when it is null)
     */
    void apply(double lr, SgdConfig c, boolean haveMomentum, double shrink, INDArray selected) {
        float rate = (float) lr;
        float wd = (float) c.weightDecay();
        float m = (float) c.momentum();
        boolean momentum = v != null;
        boolean nesterov = momentum && c.nesterov();
        if (selected != this.selected) {
            this.selected = selected;
            this.s = selected == null ? null : selected.data().asNioFloat();
        }
        int sOffset = selected == null ? 0 : Math.toIntExact(selected.offset());
        float k = (float) shrink;
        int vOffset = momentum ? Math.toIntExact(velocity.offset()) : 0;
        for (int i = 0; i < n; i++) {
            float wi = w.get(wOffset + i);
            float d = g.get(gOffset + i) + wd * wi;
            float u = d;
            if (momentum) {
                float vi = haveMomentum ? m * v.get(vOffset + i) + d : d;
                v.put(vOffset + i, vi);
                u = nesterov ? d + m * vi : vi;
            }
            g.put(gOffset + i, nesterov ? u : d);
            wi -= rate * u;
            if (s != null) {
                wi -= k * s.get(sOffset + i) * wi;
            }
            w.put(wOffset + i, wi);
        }
    }
}
