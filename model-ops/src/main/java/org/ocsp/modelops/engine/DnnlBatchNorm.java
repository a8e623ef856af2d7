package org.ocsp.modelops.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * Batch normalisation as oneDNN primitives: batch statistics in training (running statistics
 * updated on the host like PyTorch: momentum, unbiased variance), running statistics in
 * evaluation. Gamma, beta and their gradients are read and written in place in the parameter
 * store.
 *
 * <p>With {@link #fusedWithRelu()} the layer also applies the ReLU that is its only reader
 * ({@code fuse_norm_relu}): {@code y} and {@code gy} are then the ReLU's output and its gradient,
 * and the ReLU's mask travels from forward to backward in a oneDNN workspace. That saves a pass
 * over the activation each way; the un-normalised output is never stored.
 */
final class DnnlBatchNorm implements LayerKernel {
    private final primitive trainForward;
    private final primitive evalForward;
    private final primitive backward;
    private final IntMemoryMap trainArgs = new IntMemoryMap();
    private final IntMemoryMap evalArgs = new IntMemoryMap();
    private final IntMemoryMap backwardArgs = new IntMemoryMap();
    private final Dnnl d;
    private final int channels;
    private final double momentum;
    private final double unbias;
    // Held so the native buffers outlive the primitives writing them (HostVector's NIO view does not keep them alive).
    private final INDArray batchMean;
    private final INDArray batchVar;
    private final HostVector mean;
    private final HostVector var;
    private final HostVector runningMean;
    private final HostVector runningVar;
    private final boolean fusedWithRelu;

    /**
     * A batch norm writing {@code y}; or, given the output and gradient of a ReLU that is its only
     * reader ({@code reluY}, {@code reluGy}, else null) and if oneDNN has an optimised kernel for
     * the fused form, the batch norm and that ReLU writing {@code reluY} ({@link #fusedWithRelu()}
     * says which one was built).
     */
    DnnlBatchNorm(Dnnl d, LayerSpec.BatchNorm s, ParameterStore p, LayerId id, DnnlTensor x, DnnlTensor gx,
                  DnnlTensor y, DnnlTensor gy, DnnlTensor reluY, DnnlTensor reluGy) {
        this.d = d;
        this.channels = s.channels();
        this.momentum = s.momentum();
        long perChannel = count(x) / channels;
        this.unbias = perChannel > 1 ? (double) perChannel / (perChannel - 1) : 1.0;
        float eps = (float) s.eps();
        memory.desc vec = Dnnl.plain(new long[] {channels});
        int scaleShift = dnnl.normalization_flags.use_scale.value | dnnl.normalization_flags.use_shift.value;
        Descriptors pds = Descriptors.of(d, x, gy, eps, scaleShift | (reluY != null ? FUSE_RELU : 0));
        if (reluY != null && pds.reference()) {
            pds = Descriptors.of(d, x, gy, eps, scaleShift);
        }
        this.fusedWithRelu = (pds.flags & FUSE_RELU) != 0;
        if (fusedWithRelu) {
            y = reluY;
            gy = reluGy;
        }
        batch_normalization_forward.primitive_desc tpd = pds.train;
        batch_normalization_forward.primitive_desc epd = pds.eval;
        batch_normalization_backward.primitive_desc bpd = pds.backward;
        trainForward = new batch_normalization_forward(tpd);
        evalForward = new batch_normalization_forward(epd);
        backward = new batch_normalization_backward(bpd);

        this.batchMean = Nd4j.create(p.dataType(), channels);
        this.batchVar = Nd4j.create(p.dataType(), channels);
        memory gamma = d.bind(vec, p.tensor(id, TensorKind.GAMMA));
        memory beta = d.bind(vec, p.tensor(id, TensorKind.BETA));
        memory meanMem = d.bind(vec, batchMean);
        memory varMem = d.bind(vec, batchVar);
        this.mean = new HostVector(batchMean);
        this.var = new HostVector(batchVar);
        this.runningMean = new HostVector(p.tensor(id, TensorKind.RUNNING_MEAN));
        this.runningVar = new HostVector(p.tensor(id, TensorKind.RUNNING_VAR));

        trainArgs.put(DNNL_ARG_SRC, x.mem());
        trainArgs.put(DNNL_ARG_DST, y.mem());
        trainArgs.put(DNNL_ARG_SCALE, gamma);
        trainArgs.put(DNNL_ARG_SHIFT, beta);
        trainArgs.put(DNNL_ARG_MEAN, meanMem);
        trainArgs.put(DNNL_ARG_VARIANCE, varMem);

        evalArgs.put(DNNL_ARG_SRC, x.mem());
        evalArgs.put(DNNL_ARG_DST, y.mem());
        evalArgs.put(DNNL_ARG_SCALE, gamma);
        evalArgs.put(DNNL_ARG_SHIFT, beta);
        evalArgs.put(DNNL_ARG_MEAN, d.bind(vec, p.tensor(id, TensorKind.RUNNING_MEAN)));
        evalArgs.put(DNNL_ARG_VARIANCE, d.bind(vec, p.tensor(id, TensorKind.RUNNING_VAR)));

        backwardArgs.put(DNNL_ARG_SRC, x.mem());
        backwardArgs.put(DNNL_ARG_MEAN, meanMem);
        backwardArgs.put(DNNL_ARG_VARIANCE, varMem);
        backwardArgs.put(DNNL_ARG_DIFF_DST, gy.mem());
        backwardArgs.put(DNNL_ARG_SCALE, gamma);
        // oneDNN 2.5 checks that the shift is passed to the backward too, though it does not read it.
        backwardArgs.put(DNNL_ARG_SHIFT, beta);
        backwardArgs.put(DNNL_ARG_DIFF_SRC, gx.mem());
        backwardArgs.put(DNNL_ARG_DIFF_SCALE, d.bind(vec, p.gradient(id, TensorKind.GAMMA)));
        backwardArgs.put(DNNL_ARG_DIFF_SHIFT, d.bind(vec, p.gradient(id, TensorKind.BETA)));
        if (fusedWithRelu) {
            // The ReLU's mask, written by the training forward and read by the backward.
            memory workspace = d.allocate(tpd.workspace_desc());
            trainArgs.put(DNNL_ARG_WORKSPACE, workspace);
            backwardArgs.put(DNNL_ARG_WORKSPACE, workspace);
        }
    }

    private static final int FUSE_RELU = dnnl.normalization_flags.fuse_norm_relu.value;

    /** The three primitive descriptors for one set of flags. */
    private record Descriptors(int flags, batch_normalization_forward.primitive_desc train,
                               batch_normalization_forward.primitive_desc eval,
                               batch_normalization_backward.primitive_desc backward) {
        static Descriptors of(Dnnl d, DnnlTensor x, DnnlTensor gy, float eps, int flags) {
            batch_normalization_forward.primitive_desc train = new batch_normalization_forward.primitive_desc(
                    new batch_normalization_forward.desc(dnnl.prop_kind.forward_training.value, x.desc(), eps, flags),
                    d.engine);
            batch_normalization_forward.primitive_desc eval = new batch_normalization_forward.primitive_desc(
                    new batch_normalization_forward.desc(dnnl.prop_kind.forward_inference.value, x.desc(), eps,
                            flags | dnnl.normalization_flags.use_global_stats.value), d.engine);
            batch_normalization_backward.primitive_desc backward = new batch_normalization_backward.primitive_desc(
                    new batch_normalization_backward.desc(dnnl.prop_kind.backward.value, gy.desc(), x.desc(), eps, flags),
                    d.engine, train);
            return new Descriptors(flags, train, eval, backward);
        }

        boolean reference() {
            return Dnnl.isReference(train) || Dnnl.isReference(backward);
        }
    }

    /** True if this layer also applies the ReLU after it (its output is the ReLU's). */
    boolean fusedWithRelu() {
        return fusedWithRelu;
    }

    private static long count(DnnlTensor t) {
        long n = 1;
        for (long v : t.dims()) {
            n *= v;
        }
        return n;
    }

    @Override
    public void forward(boolean training) {
        if (!training) {
            evalForward.execute(d.stream, evalArgs);
            return;
        }
        trainForward.execute(d.stream, trainArgs);
        for (int c = 0; c < channels; c++) {
            runningMean.set(c, (1 - momentum) * runningMean.get(c) + momentum * mean.get(c));
            runningVar.set(c, (1 - momentum) * runningVar.get(c) + momentum * unbias * var.get(c));
        }
    }

    @Override
    public void backward() {
        backward.execute(d.stream, backwardArgs);
    }
}
