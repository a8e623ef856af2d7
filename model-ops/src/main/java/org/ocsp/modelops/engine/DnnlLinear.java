package org.ocsp.modelops.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.inner_product_backward_data;
import org.bytedeco.dnnl.inner_product_backward_weights;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * A linear layer as oneDNN inner-product primitives on the row-major [N, in] and [N, out]
 * tensors, weights in PyTorch's [out, in] layout in the parameter store (reordered per step if
 * oneDNN prefers another). Keeping it in oneDNN keeps OpenBLAS's and libnd4j's thread pools out of
 * the step: on a machine whose cores oneDNN's team already uses, their waiting threads took cores
 * from the next conv.
 */
final class DnnlLinear implements LayerKernel {
    private final Dnnl d;
    private final primitive forward;
    private final primitive backwardWeights;
    private final primitive backwardData;
    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final WeightAdapters weights;

    DnnlLinear(Dnnl d, LayerSpec.Linear s, INDArray w, INDArray b, INDArray gw, INDArray gb,
               DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        this.d = d;
        long[] wDims = {s.outFeatures(), s.inFeatures()};
        memory.desc anyWeights = Dnnl.any(wDims);
        memory.desc bias = b == null ? null : Dnnl.plain(new long[] {s.outFeatures()});
        inner_product_forward.primitive_desc fpd = new inner_product_forward.primitive_desc(bias == null
                ? new inner_product_forward.desc(dnnl.prop_kind.forward_training, x.desc(), anyWeights, y.desc())
                : new inner_product_forward.desc(dnnl.prop_kind.forward_training, x.desc(), anyWeights, bias, y.desc()),
                d.engine);
        inner_product_backward_weights.primitive_desc wpd = new inner_product_backward_weights.primitive_desc(bias == null
                ? new inner_product_backward_weights.desc(x.desc(), anyWeights, gy.desc())
                : new inner_product_backward_weights.desc(x.desc(), anyWeights, bias, gy.desc()), d.engine, fpd);
        inner_product_backward_data.primitive_desc dpd = gx == null ? null : new inner_product_backward_data.primitive_desc(
                new inner_product_backward_data.desc(gx.desc(), anyWeights, gy.desc()), d.engine, fpd);
        forward = new inner_product_forward(fpd);
        backwardWeights = new inner_product_backward_weights(wpd);
        backwardData = dpd == null ? null : new inner_product_backward_data(dpd);
        weights = new WeightAdapters(d, d.bind(Dnnl.plain(wDims), w), d.bind(Dnnl.plain(wDims), gw), fpd.weights_desc(),
                wpd.diff_weights_desc(), dpd == null ? null : dpd.weights_desc());
        forwardArgs.put(DNNL_ARG_SRC, x.mem());
        forwardArgs.put(DNNL_ARG_WEIGHTS, weights.forwardWeights());
        forwardArgs.put(DNNL_ARG_DST, y.mem());
        weightArgs.put(DNNL_ARG_SRC, x.mem());
        weightArgs.put(DNNL_ARG_DIFF_DST, gy.mem());
        weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, weights.gradient());
        if (b != null) {
            forwardArgs.put(DNNL_ARG_BIAS, d.bind(bias, b));
            weightArgs.put(DNNL_ARG_DIFF_BIAS, d.bind(bias, gb));
        }
        if (dpd != null) {
            dataArgs.put(DNNL_ARG_DIFF_DST, gy.mem());
            dataArgs.put(DNNL_ARG_WEIGHTS, weights.dataWeights());
            dataArgs.put(DNNL_ARG_DIFF_SRC, gx.mem());
        }
    }

    @Override
    public void forward(boolean training) {
        weights.beforeForward();
        forward.execute(d.stream, forwardArgs);
    }

    @Override
    public void backward() {
        backwardWeights.execute(d.stream, weightArgs);
        weights.afterBackwardWeights();
        if (backwardData != null) {
            weights.beforeBackwardData();
            backwardData.execute(d.stream, dataArgs);
        }
    }
}
