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
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * conv2d (grouped and depthwise included) as three oneDNN primitives built once: forward,
 * backward-data and backward-weights. Weights stay in PyTorch's [out, in/groups, k, k] layout in
 * the parameter store; oneDNN's preferred weight layout is a reorder per step of a tensor that is
 * tiny next to the activations.
 */
final class DnnlConv implements LayerKernel {
    private final Dnnl d;
    private final primitive forward;
    private final primitive backwardData;
    private final primitive backwardWeights;
    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    private final memory userWeights;
    private final memory weights;
    private final reorder toWeights;
    private final memory userWeightGrad;
    private final memory weightGrad;
    private final reorder toWeightGrad;
    private final memory dataWeights;
    private final reorder toDataWeights;
    private final boolean reference;
    private final memory userSrc;
    private final memory src;
    private final reorder toSrc;

    DnnlConv(Dnnl d, LayerSpec.Conv2d s, INDArray w, INDArray b, INDArray gw, INDArray gb,
             DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        this.d = d;
        long k = s.kernel();
        int g = s.groups();
        long[] wDims = g == 1
                ? new long[] {s.outChannels(), s.inChannels(), k, k}
                : new long[] {g, s.outChannels() / g, s.inChannels() / g, k, k};
        memory.desc userW = Dnnl.plain(wDims);
        memory.desc anyW = Dnnl.any(wDims);
        memory.desc biasDesc = b == null ? null : Dnnl.plain(new long[] {s.outChannels()});
        long[] strides = {s.stride(), s.stride()};
        long[] pad = {s.padding(), s.padding()};
        // A conv on the network input (row-major, nobody needs its gradient) may read it in the
        // layout its fastest kernel wants: a reorder of a few input channels per step.
        memory.desc srcWanted = gx == null ? Dnnl.any(x.dims()) : x.desc();
        convolution_forward.primitive_desc fpd = new convolution_forward.primitive_desc(b == null
                ? new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                        srcWanted, anyW, y.desc(), strides, pad, pad)
                : new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                        srcWanted, anyW, biasDesc, y.desc(), strides, pad, pad), d.engine);
        memory.desc srcDesc = fpd.src_desc();
        if (srcDesc.equals(x.desc())) {
            userSrc = x.mem();
            src = x.mem();
            toSrc = null;
        } else {
            userSrc = x.mem();
            src = d.allocate(srcDesc);
            toSrc = new reorder(userSrc, src);
        }
        forward = new convolution_forward(fpd);
        boolean ref = isReference(fpd.impl_info_str());
        userWeights = d.bind(userW, w);
        if (fpd.weights_desc().equals(userW)) {
            weights = userWeights;
            toWeights = null;
        } else {
            weights = d.allocate(fpd.weights_desc());
            toWeights = new reorder(userWeights, weights);
        }
        forwardArgs.put(DNNL_ARG_SRC, src);
        forwardArgs.put(DNNL_ARG_WEIGHTS, weights);
        forwardArgs.put(DNNL_ARG_DST, y.mem());
        if (b != null) {
            forwardArgs.put(DNNL_ARG_BIAS, d.bind(biasDesc, b));
        }

        convolution_backward_weights.primitive_desc wpd = new convolution_backward_weights.primitive_desc(b == null
                ? new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, srcDesc, anyW,
                        gy.desc(), strides, pad, pad)
                : new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, srcDesc, anyW, biasDesc,
                        gy.desc(), strides, pad, pad), d.engine, fpd);
        backwardWeights = new convolution_backward_weights(wpd);
        ref |= isReference(wpd.impl_info_str());
        userWeightGrad = d.bind(userW, gw);
        if (wpd.diff_weights_desc().equals(userW)) {
            weightGrad = userWeightGrad;
            toWeightGrad = null;
        } else {
            weightGrad = d.allocate(wpd.diff_weights_desc());
            toWeightGrad = new reorder(weightGrad, userWeightGrad);
        }
        weightArgs.put(DNNL_ARG_SRC, src);
        weightArgs.put(DNNL_ARG_DIFF_DST, gy.mem());
        weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, weightGrad);
        if (gb != null) {
            weightArgs.put(DNNL_ARG_DIFF_BIAS, d.bind(biasDesc, gb));
        }

        if (gx == null) {
            backwardData = null;
            dataWeights = null;
            toDataWeights = null;
        } else {
            convolution_backward_data.primitive_desc dpd = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, gx.desc(), anyW, gy.desc(),
                            strides, pad, pad), d.engine, fpd);
            backwardData = new convolution_backward_data(dpd);
            ref |= isReference(dpd.impl_info_str());
            if (dpd.weights_desc().equals(fpd.weights_desc())) {
                dataWeights = weights;
                toDataWeights = null;
            } else {
                dataWeights = d.allocate(dpd.weights_desc());
                toDataWeights = new reorder(userWeights, dataWeights);
            }
            dataArgs.put(DNNL_ARG_DIFF_DST, gy.mem());
            dataArgs.put(DNNL_ARG_WEIGHTS, dataWeights);
            dataArgs.put(DNNL_ARG_DIFF_SRC, gx.mem());
        }
        this.reference = ref;
    }

    private static boolean isReference(org.bytedeco.javacpp.BytePointer implementation) {
        return implementation.getString().startsWith("ref");
    }

    /** True if oneDNN found no optimised kernel for this conv in the given layouts. */
    boolean usesReferenceKernel() {
        return reference;
    }

    @Override
    public void forward(boolean training) {
        if (toSrc != null) {
            toSrc.execute(d.stream, userSrc, src);
        }
        // The optimiser changed the weights since the last call.
        if (toWeights != null) {
            toWeights.execute(d.stream, userWeights, weights);
        }
        forward.execute(d.stream, forwardArgs);
    }

    @Override
    public void backward() {
        backwardWeights.execute(d.stream, weightArgs);
        if (toWeightGrad != null) {
            toWeightGrad.execute(d.stream, weightGrad, userWeightGrad);
        }
        if (backwardData != null) {
            if (toDataWeights != null) {
                toDataWeights.execute(d.stream, userWeights, dataWeights);
            }
            backwardData.execute(d.stream, dataArgs);
        }
    }
}
