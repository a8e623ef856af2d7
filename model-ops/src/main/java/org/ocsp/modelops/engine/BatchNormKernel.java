package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * Batch normalisation over dim 1 of NCHW or [N, C]. Training uses batch statistics (moments
 * op) and updates running statistics like PyTorch (unbiased variance, momentum 0.1);
 * evaluation uses the running statistics.
 */
final class BatchNormKernel implements LayerKernel {
    private final double momentum;
    private final double unbias;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final INDArray batchMean;
    private final INDArray batchVar;
    private final BoundOp moments;
    private final BoundOp trainForward;
    private final BoundOp evalForward;
    private final BoundOp backward;

    BatchNormKernel(LayerSpec.BatchNorm spec, ParameterStore p, org.ocsp.modelops.graph.LayerId id, KernelArgs a) {
        INDArray x = a.in();
        INDArray gamma = p.tensor(id, TensorKind.GAMMA);
        INDArray beta = p.tensor(id, TensorKind.BETA);
        this.runningMean = p.tensor(id, TensorKind.RUNNING_MEAN);
        this.runningVar = p.tensor(id, TensorKind.RUNNING_VAR);
        this.momentum = spec.momentum();
        long perChannel = x.length() / spec.channels();
        this.unbias = perChannel > 1 ? (double) perChannel / (perChannel - 1) : 1.0;
        this.batchMean = Nd4j.create(x.dataType(), spec.channels());
        this.batchVar = Nd4j.create(x.dataType(), spec.channels());
        INDArray gMean = Nd4j.create(x.dataType(), spec.channels());
        INDArray gVar = Nd4j.create(x.dataType(), spec.channels());
        long[] axes = x.rank() == 4 ? new long[] {0, 2, 3} : new long[] {0};
        double[] eps = {spec.eps()};
        long[] bnArgs = {1, 1, 1};
        moments = BoundOp.of("moments", new INDArray[] {x}, new INDArray[] {batchMean, batchVar}, axes, new double[0]);
        trainForward = BoundOp.of("batchnorm", new INDArray[] {x, batchMean, batchVar, gamma, beta},
                new INDArray[] {a.output()}, bnArgs, eps);
        evalForward = BoundOp.of("batchnorm", new INDArray[] {x, runningMean, runningVar, gamma, beta},
                new INDArray[] {a.output()}, bnArgs, eps);
        backward = BoundOp.of("batchnorm_bp", new INDArray[] {x, batchMean, batchVar, gamma, beta, a.outputGrad()},
                new INDArray[] {a.inGrad(), gMean, gVar, p.gradient(id, TensorKind.GAMMA), p.gradient(id, TensorKind.BETA)},
                bnArgs, eps);
    }

    @Override
    public void forward(boolean training) {
        if (!training) {
            evalForward.run();
            return;
        }
        moments.run();
        trainForward.run();
        runningMean.muli(1 - momentum);
        Nd4j.getBlasWrapper().level1().axpy(runningMean.length(), momentum, batchMean, runningMean);
        runningVar.muli(1 - momentum);
        Nd4j.getBlasWrapper().level1().axpy(runningVar.length(), momentum * unbias, batchVar, runningVar);
    }

    @Override
    public void backward() {
        backward.run();
    }
}
