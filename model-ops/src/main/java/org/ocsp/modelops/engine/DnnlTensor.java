package org.ocsp.modelops.engine;

import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One activation or gradient of a {@link DnnlPlan}: its logical dims, its oneDNN layout, the flat ND4J buffer that
 * owns the memory (so ND4J element-wise ops still work on it when layouts match), and the oneDNN
 * memory bound to that buffer.
 */
record DnnlTensor(long[] dims, memory.desc desc, INDArray buffer, memory mem) {
}
