package org.ocsp.modelops.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.List;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * conv2d (grouped and depthwise included) as three oneDNN primitives built once: forward,
 * backward-data and backward-weights. Weights stay in PyTorch's [out, in/groups, k, k] layout in
 * the parameter store; oneDNN's preferred weight layout is a reorder per step of a tensor that is
 * tiny next to the activations.
 *
 * <p>The conv reads and writes the plan's activation layouts directly when oneDNN has an
 * optimised kernel for them. Otherwise (a conv on the row-major network input, or channel counts
 * the layout's kernels do not cover) it lets oneDNN choose its layouts and converts around the
 * call: a few reorders cost far less than oneDNN's reference kernel.
 */
final class DnnlConv implements LayerKernel {
    private final Dnnl d;
    private final primitive forward;
    private final primitive backwardData;
    private final primitive backwardWeights;
    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    private final WeightAdapters weights;
    private final LayoutAdapter src;
    private final LayoutAdapter dst;
    private final LayoutAdapter diffDst;
    private final LayoutAdapter diffSrc;
    private final boolean reference;
    private final boolean adapted;
    private final String implementation;

    DnnlConv(Dnnl d, LayerSpec.Conv2d s, ConvAlgorithm algorithm, INDArray w, INDArray b, INDArray gw, INDArray gb,
             DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        this.d = d;
        long k = s.kernel();
        int g = s.groups();
        long[] wDims = g == 1
                ? new long[] {s.outChannels(), s.inChannels(), k, k}
                : new long[] {g, s.outChannels() / g, s.inChannels() / g, k, k};
        memory.desc anyWeights = Dnnl.any(wDims);
        memory.desc bias = b == null ? null : Dnnl.plain(new long[] {s.outChannels()});
        long[] strides = {s.stride(), s.stride()};
        long[] pad = {s.padding(), s.padding()};
        // The network input's gradient is never needed, so its conv may always read it in the
        // layout its kernel prefers (a reorder of a few input channels).
        memory.desc planSrc = gx == null ? Dnnl.any(x.dims()) : x.desc();
        // The last candidate is never Winograd, so oneDNN always has some kernel for it: p is set.
        Shape shape = null;
        Primitives p = null;
        for (ConvAlgorithm.Passes a : algorithm.candidates(s, x.dims()[0], d.hasWinograd())) {
            shape = new Shape(a, anyWeights, bias, strides, pad);
            p = Primitives.available(d, shape, planSrc, y.desc(), gx != null);
            if (p != null && !p.reference()) {
                break;
            }
        }
        // Pruned channel counts: one of the three may have only the reference kernel in the plan's
        // layout (seen: 11-14 input channels in nChw16c, even in layouts of oneDNN's choosing).
        // Converting this conv's activations keeps the rest of the plan in its layout.
        for (memory.format_tag tag : List.of(memory.format_tag.any, memory.format_tag.nhwc)) {
            if (!p.reference()) {
                break;
            }
            Primitives other = Primitives.of(d, shape, Dnnl.layout(x.dims(), tag), Dnnl.layout(y.dims(), tag), gx != null);
            if (!other.reference()) {
                p = other;
            }
        }
        convolution_forward.primitive_desc fpd = p.forward();
        convolution_backward_weights.primitive_desc wpd = p.weights();
        while (overrunsItsWorkspace(s, fpd, wpd, x.dims(), d.channelBlock()) && wpd.next_impl()) {
            // the next implementation oneDNN offers for the same descriptors (a gemm or reference kernel)
        }
        convolution_backward_data.primitive_desc dpd = p.data();
        forward = new convolution_forward(fpd);
        backwardWeights = new convolution_backward_weights(wpd);
        backwardData = dpd == null ? null : new convolution_backward_data(dpd);
        reference = p.reference();
        implementation = "forward " + fpd.impl_info_str().getString() + ", backward-weights "
                + wpd.impl_info_str().getString() + (dpd == null ? "" : ", backward-data " + dpd.impl_info_str().getString());
        adapted = !fpd.src_desc().equals(x.desc()) || !fpd.dst_desc().equals(y.desc());

        weights = new WeightAdapters(d, d.bind(Dnnl.plain(wDims), w), d.bind(Dnnl.plain(wDims), gw), fpd.weights_desc(),
                wpd.diff_weights_desc(), dpd == null ? null : dpd.weights_desc());
        src = LayoutAdapter.into(d, x.mem(), fpd.src_desc());
        dst = LayoutAdapter.outOf(d, fpd.dst_desc(), y.mem());
        diffDst = LayoutAdapter.into(d, gy.mem(), fpd.dst_desc());

        forwardArgs.put(DNNL_ARG_SRC, src.inner());
        forwardArgs.put(DNNL_ARG_WEIGHTS, weights.forwardWeights());
        forwardArgs.put(DNNL_ARG_DST, dst.inner());
        weightArgs.put(DNNL_ARG_SRC, src.inner());
        weightArgs.put(DNNL_ARG_DIFF_DST, diffDst.inner());
        weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, weights.gradient());
        if (b != null) {
            forwardArgs.put(DNNL_ARG_BIAS, d.bind(shape.bias, b));
            weightArgs.put(DNNL_ARG_DIFF_BIAS, d.bind(shape.bias, gb));
        }
        if (dpd == null) {
            diffSrc = null;
        } else {
            diffSrc = LayoutAdapter.outOf(d, dpd.diff_src_desc(), gx.mem());
            dataArgs.put(DNNL_ARG_DIFF_DST, diffDst.inner());
            dataArgs.put(DNNL_ARG_WEIGHTS, weights.dataWeights());
            dataArgs.put(DNNL_ARG_DIFF_SRC, diffSrc.inner());
        }
    }

    /**
     * oneDNN 2.5's 1x1 backward-weights kernel ({@code jit_1x1}) for a strided conv on channels-last
     * activations copies the strided input into a workspace sized for whole channel blocks and, with
     * fewer input channels than a block, writes past it (oneDNN issue 6035, open): with two threads
     * its weight gradient came out wrong in 56 of 200 identical steps on AVX2 (3 -> 4 channels at
     * 6x6, stride 2), and the same overrun crashes on AVX-512 at larger images. Pruned ResNets fall
     * back to channels-last with such channel counts, so those convs take oneDNN's next kernel.
     */
    static boolean overrunsItsWorkspace(LayerSpec.Conv2d s, convolution_forward.primitive_desc fpd,
                                        convolution_backward_weights.primitive_desc wpd, long[] srcDims, int channelBlock) {
        return s.kernel() == 1 && s.stride() > 1 && s.inChannels() % Math.max(channelBlock, 1) != 0
                && fpd.src_desc().equals(Dnnl.layout(srcDims, memory.format_tag.nhwc))
                && wpd.impl_info_str().getString().startsWith("jit_1x1");
    }

    /** The three primitive descriptors of one choice of activation layouts. */
    private record Primitives(convolution_forward.primitive_desc forward, convolution_backward_weights.primitive_desc weights,
                              convolution_backward_data.primitive_desc data) {
        static Primitives of(Dnnl d, Shape shape, memory.desc src, memory.desc dst, boolean dataNeeded) {
            convolution_forward.primitive_desc f = shape.forward(d, src, dst);
            return new Primitives(f, shape.backwardWeights(d, f), dataNeeded ? shape.backwardData(d, f) : null);
        }

        /** The primitives, or null if oneDNN has no kernel at all for the algorithm in these layouts (Winograd on most shapes). */
        static Primitives available(Dnnl d, Shape shape, memory.desc src, memory.desc dst, boolean dataNeeded) {
            try {
                return of(d, shape, src, dst, dataNeeded);
            } catch (RuntimeException unsupported) {
                if (shape.algorithms.usesWinograd()) {
                    return null;
                }
                throw unsupported;
            }
        }

        boolean reference() {
            return Dnnl.isReference(forward) || Dnnl.isReference(weights) || (data != null && Dnnl.isReference(data));
        }
    }

    /** What the three primitives share: their algorithms, weight dims, bias layout, strides and padding. */
    private record Shape(ConvAlgorithm.Passes algorithms, memory.desc anyWeights, memory.desc bias, long[] strides, long[] pad) {
        convolution_forward.primitive_desc forward(Dnnl d, memory.desc src, memory.desc dst) {
            return new convolution_forward.primitive_desc(bias == null
                    ? new convolution_forward.desc(dnnl.prop_kind.forward_training, algorithms.forward(),
                            src, anyWeights, dst, strides, pad, pad)
                    : new convolution_forward.desc(dnnl.prop_kind.forward_training, algorithms.forward(),
                            src, anyWeights, bias, dst, strides, pad, pad), d.engine);
        }

        convolution_backward_weights.primitive_desc backwardWeights(Dnnl d, convolution_forward.primitive_desc f) {
            return new convolution_backward_weights.primitive_desc(bias == null
                    ? new convolution_backward_weights.desc(algorithms.backwardWeights(), f.src_desc(), anyWeights,
                            f.dst_desc(), strides, pad, pad)
                    : new convolution_backward_weights.desc(algorithms.backwardWeights(), f.src_desc(), anyWeights,
                            bias, f.dst_desc(), strides, pad, pad), d.engine, f);
        }

        convolution_backward_data.primitive_desc backwardData(Dnnl d, convolution_forward.primitive_desc f) {
            return new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
                    algorithms.backwardData(), f.src_desc(), anyWeights, f.dst_desc(), strides, pad, pad),
                    d.engine, f);
        }
    }

    /** True if oneDNN has no optimised kernel for this conv, even in layouts of its choosing. */
    boolean usesReferenceKernel() {
        return reference;
    }

    /** oneDNN's names for the kernels of the three passes (e.g. {@code forward jit_wino_4x3:avx512_core, ...}). */
    String implementation() {
        return implementation;
    }

    /** True if the conv converts its activations to and from layouts of its own. */
    boolean adaptsLayouts() {
        return adapted;
    }

    @Override
    public void forward(boolean training) {
        src.convertIn();
        weights.beforeForward();
        forward.execute(d.stream, forwardArgs);
        dst.convertOut();
    }

    @Override
    public void backward() {
        diffDst.convertIn();
        backwardWeights.execute(d.stream, weightArgs);
        weights.afterBackwardWeights();
        if (backwardData != null) {
            weights.beforeBackwardData();
            backwardData.execute(d.stream, dataArgs);
            diffSrc.convertOut();
        }
    }
}
