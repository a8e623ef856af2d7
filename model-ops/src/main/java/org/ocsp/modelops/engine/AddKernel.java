package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/** Residual add; its gradient reaches every input unchanged, so backward does no work. */
final class AddKernel implements LayerKernel {
    private final INDArray[] inputs;
    private final INDArray out;

    AddKernel(KernelArgs a) {
        this.inputs = a.inputs();
        this.out = a.output();
    }

    @Override
    public void forward(boolean training) {
        Nd4j.exec(new AddOp(inputs[0], inputs[1], out));
        for (int i = 2; i < inputs.length; i++) {
            out.addi(inputs[i]);
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
