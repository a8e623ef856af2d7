package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.factory.Nd4j;

/** y = x W^T + b with PyTorch's [out, in] weight layout, as BLAS gemm calls into bound buffers. */
final class LinearKernel implements LayerKernel {
    private final INDArray x;
    private final INDArray gx;
    private final INDArray y;
    private final INDArray gy;
    private final INDArray w;
    private final INDArray b;
    private final INDArray gw;
    private final INDArray gb;

    LinearKernel(INDArray w, INDArray b, INDArray gw, INDArray gb, KernelArgs a) {
        this.x = a.in();
        this.gx = a.inGrad();
        this.y = a.output();
        this.gy = a.outputGrad();
        this.w = w;
        this.b = b;
        this.gw = gw;
        this.gb = gb;
    }

    @Override
    public void forward(boolean training) {
        Nd4j.gemm(x, w, y, false, true, 1.0, 0.0);
        if (b != null) {
            y.addiRowVector(b);
        }
    }

    @Override
    public void backward() {
        Nd4j.gemm(gy, x, gw, true, false, 1.0, 0.0);
        if (gb != null) {
            Nd4j.exec(new Sum(gy, gb, 0));
        }
        Nd4j.gemm(gy, w, gx, false, false, 1.0, 0.0);
    }
}
