package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerId;

/**
 * A graph's kernels bound to preallocated activation and gradient buffers for one batch size.
 * Two engines implement it: {@link DnnlPlan} (oneDNN primitives, float32 on the CPU) and
 * {@link Nd4jPlan} (libnd4j ops: any data type, any ND4J backend).
 */
interface ExecutionPlan {
    int batch();

    /** Row-major [N, C, H, W] input; callers write the batch into it. */
    INDArray input();

    /** Row-major logits. */
    INDArray output();

    /** Row-major dL/dlogits, written by the loss before {@link #backward()}. */
    INDArray outputGradient();

    /** A row-major view or copy of a layer's last output (tests and diagnostics; not for the step). */
    INDArray activation(LayerId id);

    /** Forces channels of a layer's output to the mask's values (0 or 1) after it runs. */
    void setChannelMask(LayerId id, INDArray mask);

    void clearChannelMasks();

    /** Reports per-layer times into {@code t} from now on; null switches timing off. */
    void setTimings(LayerTimings t);

    void forward(boolean training);

    void backward();
}
