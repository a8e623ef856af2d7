package org.ocsp.modelops.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.global.dnnl;

/**
 * Residual add (binary add, chained for more than two inputs); its gradient passes through. The
 * plan also sums an activation's gradient contributions from several readers with it.
 */
final class DnnlAdd implements LayerKernel {
    private final Dnnl d;
    private final primitive add;
    private final IntMemoryMap[] steps;

    DnnlAdd(Dnnl d, DnnlTensor[] inputs, DnnlTensor y) {
        this.d = d;
        this.add = new binary(new binary.primitive_desc(
                new binary.desc(dnnl.algorithm.binary_add, y.desc(), y.desc(), y.desc()), d.engine));
        for (DnnlTensor in : inputs) {
            if (!in.desc().equals(y.desc())) {
                throw new UnsupportedOperationException("Residual add over different layouts");
            }
        }
        steps = new IntMemoryMap[inputs.length - 1];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new IntMemoryMap();
            steps[i].put(DNNL_ARG_SRC_0, i == 0 ? inputs[0].mem() : y.mem());
            steps[i].put(DNNL_ARG_SRC_1, inputs[i + 1].mem());
            steps[i].put(DNNL_ARG_DST, y.mem());
        }
    }

    @Override
    public void forward(boolean training) {
        for (IntMemoryMap args : steps) {
            add.execute(d.stream, args);
        }
    }

    @Override
    public void backward() {
    }

    @Override
    public boolean passesGradientThrough(int slot) {
        return true;
    }
}
