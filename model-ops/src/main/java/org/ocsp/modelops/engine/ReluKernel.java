package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

final class ReluKernel implements LayerKernel {
    private final BoundOp forward;
    private final BoundOp backward;

    ReluKernel(KernelArgs a) {
        forward = BoundOp.of("relu", new INDArray[] {a.in()}, new INDArray[] {a.output()}, new long[0], new double[] {0});
        backward = BoundOp.of("relu_bp", new INDArray[] {a.in(), a.outputGrad()}, new INDArray[] {a.inGrad()},
                new long[0], new double[] {0});
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
