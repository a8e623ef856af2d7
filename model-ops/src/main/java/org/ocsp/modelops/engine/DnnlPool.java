package org.ocsp.modelops.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.global.dnnl;

/**
 * Max, average and global average pooling as oneDNN primitives. Max pooling keeps the argmax
 * workspace of the last training forward for its backward. Average pooling counts padding in the
 * divisor, like PyTorch's default.
 */
final class DnnlPool {
    private DnnlPool() {
    }

    private static LayerKernel create(Dnnl d, dnnl.algorithm alg, long kernelH, long kernelW, long stride, long pad,
                                      DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        long[] strides = {stride, stride};
        long[] kernel = {kernelH, kernelW};
        long[] padding = {pad, pad};
        pooling_forward.primitive_desc fpd = new pooling_forward.primitive_desc(new pooling_forward.desc(
                dnnl.prop_kind.forward_training, alg, x.desc(), y.desc(), strides, kernel, padding, padding), d.engine);
        pooling_backward.primitive_desc bpd = new pooling_backward.primitive_desc(new pooling_backward.desc(
                alg, gx.desc(), gy.desc(), strides, kernel, padding, padding), d.engine, fpd);
        IntMemoryMap forwardArgs = new IntMemoryMap();
        forwardArgs.put(DNNL_ARG_SRC, x.mem());
        forwardArgs.put(DNNL_ARG_DST, y.mem());
        IntMemoryMap backwardArgs = new IntMemoryMap();
        backwardArgs.put(DNNL_ARG_DIFF_DST, gy.mem());
        backwardArgs.put(DNNL_ARG_DIFF_SRC, gx.mem());
        if (fpd.workspace_desc().get_size() > 0) {
            var workspace = d.allocate(fpd.workspace_desc());
            forwardArgs.put(DNNL_ARG_WORKSPACE, workspace);
            backwardArgs.put(DNNL_ARG_WORKSPACE, workspace);
        }
        return new PrimitiveKernel(d, new pooling_forward(fpd), forwardArgs, new pooling_backward(bpd), backwardArgs);
    }

    static LayerKernel max(Dnnl d, int kernel, int stride, int pad, DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        return create(d, dnnl.algorithm.pooling_max, kernel, kernel, stride, pad, x, gx, y, gy);
    }

    static LayerKernel avg(Dnnl d, int kernel, int stride, DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        return create(d, dnnl.algorithm.pooling_avg_include_padding, kernel, kernel, stride, 0, x, gx, y, gy);
    }

    static LayerKernel global(Dnnl d, DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        long[] s = x.dims();
        return create(d, dnnl.algorithm.pooling_avg_include_padding, s[2], s[3], 1, 0, x, gx, y, gy);
    }
}
