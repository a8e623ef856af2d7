package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The buffers a kernel is bound to: input activations and their gradient buffers, output and its gradient. */
record KernelArgs(INDArray[] inputs, INDArray[] inputGrads, INDArray output, INDArray outputGrad) {
    INDArray in() {
        return inputs[0];
    }

    INDArray inGrad() {
        return inputGrads[0];
    }
}
