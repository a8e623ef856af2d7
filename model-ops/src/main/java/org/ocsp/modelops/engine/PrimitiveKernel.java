package org.ocsp.modelops.engine;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.primitive;

/**
 * A layer that is one oneDNN primitive forward and one backward, each with its arguments bound
 * once (ReLU, pooling, flatten).
 */
final class PrimitiveKernel implements LayerKernel {
    private final Dnnl d;
    private final primitive forward;
    private final IntMemoryMap forwardArgs;
    private final primitive backward;
    private final IntMemoryMap backwardArgs;

    PrimitiveKernel(Dnnl d, primitive forward, IntMemoryMap forwardArgs, primitive backward, IntMemoryMap backwardArgs) {
        this.d = d;
        this.forward = forward;
        this.forwardArgs = forwardArgs;
        this.backward = backward;
        this.backwardArgs = backwardArgs;
    }

    @Override
    public void forward(boolean training) {
        forward.execute(d.stream, forwardArgs);
    }

    @Override
    public void backward() {
        backward.execute(d.stream, backwardArgs);
    }
}
