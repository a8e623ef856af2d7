package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The buffers a kernel is bound to: input activations and their gradient buffers, output and its
 * gradient. {@code inputGradientNeeded} is false when the only input is the network input, whose
 * gradient nobody reads: a kernel may then skip computing it.
 */
record KernelArgs(INDArray[] inputs, INDArray[] inputGrads, INDArray output, INDArray outputGrad,
                  boolean inputGradientNeeded) {
    INDArray in() {
        return inputs[0];
    }

    INDArray inGrad() {
        return inputGrads[0];
    }
}
