package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * Batch normalisation over dim 1 of NCHW or [N, C]. Training uses batch statistics (moments
 * op) and updates running statistics like PyTorch (unbiased variance, momentum 0.1);
 * evaluation uses the running statistics.
 *
 * <p>Backward is composed here rather than taken from libnd4j's {@code batchnorm_bp}: in the
 * oneDNN build that op runs oneDNN with global statistics and then adds the batch-statistics
 * terms with a chain of temporary arrays (allocated per call), several times slower than the
 * seven streaming ops below. With M = N*H*W, xc = x - mean, s = 1/sqrt(var + eps):
 * <pre>
 * dbeta  = sum(dy)                 dgamma = s * sum(dy * xc)
 * dx     = gamma*s * dy  -  gamma*s^3*sum(dy*xc)/M * xc  -  gamma*s*dbeta/M
 * </pre>
 * Per-channel scalars are computed on the host through {@link HostVector}; the running
 * statistics are updated there too (no op dispatch for C-sized vectors).
 */
final class BatchNormKernel implements LayerKernel {
    private final double momentum;
    private final double eps;
    private final double unbias;
    private final long perChannel;
    private final int channels;
    private final int[] reduceDims;
    private final INDArray x;
    private final INDArray gx;
    private final INDArray gy;
    private final INDArray scratch;
    private final INDArray gGammaArr;
    private final INDArray gBetaArr;
    private final INDArray sumDyXc;
    private final INDArray coefA;
    private final INDArray coefB;
    private final INDArray coefK;
    private final INDArray batchMean;
    private final INDArray batchVarArr;
    private final HostVector gamma;
    private final HostVector runningMean;
    private final HostVector runningVar;
    private final HostVector mean;
    private final HostVector var;
    private final HostVector gGamma;
    private final HostVector gBeta;
    private final HostVector sumXc;
    private final HostVector a;
    private final HostVector b;
    private final HostVector k;
    private final INDArray partial;
    private final HostVector partialHost;
    private final BoundOp moments;
    private final BoundOp trainForward;
    private final BoundOp evalForward;

    BatchNormKernel(LayerSpec.BatchNorm spec, ParameterStore p, LayerId id, KernelArgs args, INDArray scratch) {
        this.x = args.in();
        this.gx = args.inGrad();
        this.gy = args.outputGrad();
        this.scratch = scratch;
        this.channels = spec.channels();
        this.momentum = spec.momentum();
        this.eps = spec.eps();
        this.perChannel = x.length() / spec.channels();
        this.unbias = perChannel > 1 ? (double) perChannel / (perChannel - 1) : 1.0;
        this.reduceDims = x.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
        INDArray gammaArr = p.tensor(id, TensorKind.GAMMA);
        INDArray betaArr = p.tensor(id, TensorKind.BETA);
        INDArray rm = p.tensor(id, TensorKind.RUNNING_MEAN);
        INDArray rv = p.tensor(id, TensorKind.RUNNING_VAR);
        this.batchMean = Nd4j.create(x.dataType(), channels);
        INDArray batchVar = Nd4j.create(x.dataType(), channels);
        this.batchVarArr = batchVar;
        this.gGammaArr = p.gradient(id, TensorKind.GAMMA);
        this.gBetaArr = p.gradient(id, TensorKind.BETA);
        this.sumDyXc = Nd4j.create(x.dataType(), channels);
        this.coefA = Nd4j.create(x.dataType(), channels);
        this.coefB = Nd4j.create(x.dataType(), channels);
        this.coefK = Nd4j.create(x.dataType(), channels);
        this.gamma = new HostVector(gammaArr);
        this.runningMean = new HostVector(rm);
        this.runningVar = new HostVector(rv);
        this.mean = new HostVector(batchMean);
        this.var = new HostVector(batchVar);
        this.gGamma = new HostVector(gGammaArr);
        this.gBeta = new HostVector(gBetaArr);
        this.sumXc = new HostVector(sumDyXc);
        this.a = new HostVector(coefA);
        this.b = new HostVector(coefB);
        this.k = new HostVector(coefK);
        // Per-channel sums over N*H*W in float32 lose about N*H*W*eps relative accuracy, and the
        // input gradient subtracts two such sums from dy: sum over H*W natively, then over N in
        // double on the host (two-stage summation, as PyTorch's accurate reductions do).
        this.partial = x.rank() == 4 ? Nd4j.create(x.dataType(), x.size(0), channels) : null;
        this.partialHost = partial == null ? null : new HostVector(partial);
        long[] axes = x.rank() == 4 ? new long[] {0, 2, 3} : new long[] {0};
        double[] epsArg = {spec.eps()};
        long[] bnArgs = {1, 1, 1};
        moments = BoundOp.of("moments", new INDArray[] {x}, new INDArray[] {batchMean, batchVar}, axes, new double[0]);
        trainForward = BoundOp.of("batchnorm", new INDArray[] {x, batchMean, batchVar, gammaArr, betaArr},
                new INDArray[] {args.output()}, bnArgs, epsArg);
        evalForward = BoundOp.of("batchnorm", new INDArray[] {x, rm, rv, gammaArr, betaArr},
                new INDArray[] {args.output()}, bnArgs, epsArg);
    }

    @Override
    public void forward(boolean training) {
        if (!training) {
            evalForward.run();
            return;
        }
        if (partial == null) {
            moments.run();
        } else {
            batchStatistics();
        }
        trainForward.run();
        for (int c = 0; c < channels; c++) {
            runningMean.set(c, (1 - momentum) * runningMean.get(c) + momentum * mean.get(c));
            runningVar.set(c, (1 - momentum) * runningVar.get(c) + momentum * unbias * var.get(c));
        }
    }

    @Override
    public void backward() {
        // scratch = x - mean; gx (free until the end) = dy * scratch, reduced to sum(dy * xc).
        Nd4j.exec(new BroadcastSubOp(x, batchMean, scratch, 1));
        Nd4j.exec(new MulOp(gy, scratch, gx));
        channelSums(gx, sumDyXc, sumXc);
        channelSums(gy, gBetaArr, gBeta);
        double m = perChannel;
        for (int c = 0; c < channels; c++) {
            double s = 1 / Math.sqrt(var.get(c) + eps);
            double g = gamma.get(c);
            double sxc = sumXc.get(c);
            double db = gBeta.get(c);
            gGamma.set(c, s * sxc);
            a.set(c, g * s);
            b.set(c, -g * s * s * s * sxc / m);
            k.set(c, -g * s * db / m);
        }
        Nd4j.exec(new BroadcastMulOp(gy, coefA, gx, 1));
        Nd4j.exec(new BroadcastMulOp(scratch, coefB, scratch, 1));
        Nd4j.exec(new BroadcastAddOp(scratch, coefK, scratch, 1));
        Nd4j.exec(new AddOp(gx, scratch, gx));
    }

    /** Mean, then biased variance from centred values, each with two-stage summation. */
    private void batchStatistics() {
        double m = perChannel;
        channelSums(x, batchMean, mean);
        for (int c = 0; c < channels; c++) {
            mean.set(c, mean.get(c) / m);
        }
        Nd4j.exec(new BroadcastSubOp(x, batchMean, scratch, 1));
        Nd4j.exec(new MulOp(scratch, scratch, scratch));
        channelSums(scratch, batchVarArr, var);
        for (int c = 0; c < channels; c++) {
            var.set(c, var.get(c) / m);
        }
    }

    private void channelSums(INDArray src, INDArray dst, HostVector dstHost) {
        if (partial == null) {
            Nd4j.exec(new Sum(src, dst, reduceDims));
            return;
        }
        Nd4j.exec(new Sum(src, partial, 2, 3));
        int n = (int) partial.size(0);
        for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += partialHost.get(i * channels + c);
            }
            dstHost.set(c, s);
        }
    }
}
