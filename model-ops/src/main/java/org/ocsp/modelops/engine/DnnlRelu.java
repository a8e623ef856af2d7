package org.ocsp.modelops.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl;

/** ReLU as oneDNN eltwise primitives, in whatever layout its input has. */
final class DnnlRelu {
    private DnnlRelu() {
    }

    static LayerKernel create(Dnnl d, DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        eltwise_forward.primitive_desc fpd = new eltwise_forward.primitive_desc(
                new eltwise_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.eltwise_relu, x.desc(), 0f, 0f),
                d.engine);
        eltwise_backward.primitive_desc bpd = new eltwise_backward.primitive_desc(
                new eltwise_backward.desc(dnnl.algorithm.eltwise_relu, gy.desc(), x.desc(), 0f, 0f), d.engine, fpd);
        IntMemoryMap forwardArgs = new IntMemoryMap();
        forwardArgs.put(DNNL_ARG_SRC, x.mem());
        forwardArgs.put(DNNL_ARG_DST, y.mem());
        IntMemoryMap backwardArgs = new IntMemoryMap();
        backwardArgs.put(DNNL_ARG_SRC, x.mem());
        backwardArgs.put(DNNL_ARG_DIFF_DST, gy.mem());
        backwardArgs.put(DNNL_ARG_DIFF_SRC, gx.mem());
        return new PrimitiveKernel(d, new eltwise_forward(fpd), forwardArgs, new eltwise_backward(bpd), backwardArgs);
    }
}
