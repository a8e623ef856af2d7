package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * conv2d through libnd4j's custom ops (oneDNN-backed in the onednn build), NCHW with PyTorch's
 * [out, in/groups, k, k] weight layout (wFormat 1), so weights are never transposed.
 * Depthwise convs (groups == in == out) use depthwise_conv2d; other grouped convs run one
 * conv2d per group on channel views.
 */
final class ConvKernel implements LayerKernel {
    private static final long NCHW = 0;
    private static final long OIHW = 1;

    private final BoundOp[] forward;
    private final BoundOp[] backward;

    ConvKernel(LayerSpec.Conv2d spec, INDArray w, INDArray b, INDArray gw, INDArray gb, KernelArgs a) {
        long k = spec.kernel();
        long[] iArgs = {k, k, spec.stride(), spec.stride(), spec.padding(), spec.padding(), 1, 1, 0, NCHW, OIHW};
        INDArray x = a.in();
        INDArray gx = a.inGrad();
        INDArray y = a.output();
        INDArray gy = a.outputGrad();
        if (spec.groups() == 1 && !a.inputGradientNeeded()) {
            forward = new BoundOp[] {BoundOp.of("conv2d", ins(x, w, b), new INDArray[] {y}, iArgs, new double[0])};
            backward = weightGradientOnly(spec, x, gy, gw, gb);
        } else if (spec.groups() == 1) {
            forward = new BoundOp[] {BoundOp.of("conv2d", ins(x, w, b), new INDArray[] {y}, iArgs, new double[0])};
            backward = new BoundOp[] {BoundOp.of("conv2d_bp", ins(x, w, b, gy), outs(gx, gw, gb), iArgs, new double[0])};
        } else if (spec.depthwise() && spec.outChannels() == spec.inChannels()) {
            // [C, 1, k, k] is the same memory as depthwise_conv2d's [mC=1, C, k, k].
            INDArray w4 = w.reshape(1, spec.inChannels(), k, k);
            INDArray gw4 = gw.reshape(1, spec.inChannels(), k, k);
            forward = new BoundOp[] {BoundOp.of("depthwise_conv2d", ins(x, w4, b), new INDArray[] {y}, iArgs, new double[0])};
            backward = new BoundOp[] {BoundOp.of("depthwise_conv2d_bp", ins(x, w4, b, gy), outs(gx, gw4, gb), iArgs,
                    new double[0])};
        } else {
            int g = spec.groups();
            int ci = spec.inChannels() / g;
            int co = spec.outChannels() / g;
            forward = new BoundOp[g];
            backward = new BoundOp[g];
            for (int i = 0; i < g; i++) {
                INDArray xi = channels(x, i * ci, ci);
                INDArray gxi = channels(gx, i * ci, ci);
                INDArray yi = channels(y, i * co, co);
                INDArray gyi = channels(gy, i * co, co);
                INDArray wi = w.get(NDArrayIndex.interval(i * co, (i + 1) * co));
                INDArray gwi = gw.get(NDArrayIndex.interval(i * co, (i + 1) * co));
                INDArray bi = b == null ? null : b.get(NDArrayIndex.interval(i * co, (i + 1) * co));
                INDArray gbi = gb == null ? null : gb.get(NDArrayIndex.interval(i * co, (i + 1) * co));
                forward[i] = BoundOp.of("conv2d", ins(xi, wi, bi), new INDArray[] {yi}, iArgs, new double[0]);
                backward[i] = BoundOp.of("conv2d_bp", ins(xi, wi, bi, gyi), outs(gxi, gwi, gbi), iArgs, new double[0]);
            }
        }
    }

    /**
     * Weight (and bias) gradient of a conv that reads the network input, whose gradient nobody
     * needs: im2col, one batched matmul dy x cols^T, and a sum over the batch. conv2d_bp would
     * also compute the input gradient, and oneDNN's weight gradient is slow for 1 or 3 input
     * channels.
     */
    private static BoundOp[] weightGradientOnly(LayerSpec.Conv2d spec, INDArray x, INDArray gy, INDArray gw, INDArray gb) {
        long n = x.size(0);
        long k = spec.kernel();
        long oh = gy.size(2);
        long ow = gy.size(3);
        long patch = spec.inChannels() * k * k;
        INDArray cols = Nd4j.create(x.dataType(), n, spec.inChannels(), k, k, oh, ow);
        INDArray perSample = Nd4j.create(x.dataType(), n, spec.outChannels(), patch);
        long[] colArgs = {k, k, spec.stride(), spec.stride(), spec.padding(), spec.padding(), 1, 1, 0};
        BoundOp im2col = BoundOp.of("im2col", new INDArray[] {x}, new INDArray[] {cols}, colArgs, new double[] {0});
        BoundOp matmul = BoundOp.of("matmul", new INDArray[] {gy.reshape(n, spec.outChannels(), oh * ow),
                cols.reshape(n, patch, oh * ow)}, new INDArray[] {perSample}, new long[] {0, 1, 0}, new double[] {1, 0});
        BoundOp sum = BoundOp.of("reduce_sum", new INDArray[] {perSample}, new INDArray[] {gw.reshape(spec.outChannels(), patch)},
                new long[] {0}, new double[0]);
        if (gb == null) {
            return new BoundOp[] {im2col, matmul, sum};
        }
        BoundOp bias = BoundOp.of("reduce_sum", new INDArray[] {gy}, new INDArray[] {gb}, new long[] {0, 2, 3}, new double[0]);
        return new BoundOp[] {im2col, matmul, sum, bias};
    }

    private static INDArray channels(INDArray a, int from, int count) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + count), NDArrayIndex.all(), NDArrayIndex.all());
    }

    private static INDArray[] ins(INDArray x, INDArray w, INDArray b) {
        return b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
    }

    private static INDArray[] ins(INDArray x, INDArray w, INDArray b, INDArray gy) {
        return b == null ? new INDArray[] {x, w, gy} : new INDArray[] {x, w, b, gy};
    }

    private static INDArray[] outs(INDArray gx, INDArray gw, INDArray gb) {
        return gb == null ? new INDArray[] {gx, gw} : new INDArray[] {gx, gw, gb};
    }

    @Override
    public void forward(boolean training) {
        for (BoundOp op : forward) {
            op.run();
        }
    }

    @Override
    public void backward() {
        for (BoundOp op : backward) {
            op.run();
        }
    }
}
