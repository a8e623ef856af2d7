package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Max, average and global average pooling (the latter as an average pool over the whole map). */
final class PoolKernel implements LayerKernel {
    private final BoundOp forward;
    private final BoundOp backward;

    private PoolKernel(String op, long kh, long kw, long stride, long pad, KernelArgs a) {
        // iArgs: kH, kW, sH, sW, pH, pW, dH, dW, sameMode, avg divisor includes padding, NCHW
        long[] iArgs = {kh, kw, stride, stride, pad, pad, 1, 1, 0, 1, 0};
        forward = BoundOp.of(op, new INDArray[] {a.in()}, new INDArray[] {a.output()}, iArgs, new double[0]);
        backward = BoundOp.of(op + "_bp", new INDArray[] {a.in(), a.outputGrad()}, new INDArray[] {a.inGrad()},
                iArgs, new double[0]);
    }

    static PoolKernel max(int kernel, int stride, int pad, KernelArgs a) {
        return new PoolKernel("maxpool2d", kernel, kernel, stride, pad, a);
    }

    static PoolKernel avg(int kernel, int stride, KernelArgs a) {
        return new PoolKernel("avgpool2d", kernel, kernel, stride, 0, a);
    }

    static PoolKernel global(KernelArgs a) {
        long[] s = a.in().shape();
        return new PoolKernel("avgpool2d", s[2], s[3], 1, 0, a);
    }

    @Override
    public void forward(boolean training) {
        forward.run();
    }

    @Override
    public void backward() {
        backward.run();
    }
}
