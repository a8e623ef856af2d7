package org.ocsp.modelops.bench;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.engine.Initializer;
import org.ocsp.modelops.engine.LayerTimings;
import org.ocsp.modelops.engine.Network;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.SoftmaxCrossEntropy;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Shape;
import org.ocsp.modelops.train.SgdConfig;
import org.ocsp.modelops.train.SgdOptimizer;

/**
 * model-ops' training step on synthetic batches, exactly the steps of
 * {@code TrainingSession.trainBatch} (copy the batch in, forward, softmax cross-entropy, backward,
 * SGD Nesterov with weight decay; the sparsity shrink is a no-op at lambda 0), with the network in
 * reach so the bench can attach {@link LayerTimings}.
 *
 * <pre>{@code
 * try (BenchTrainer t = BenchTrainer.initialised(FashionVgg.build(10), 128, 42, 0.05)) {
 *     double seconds = t.run(10);          // 10 steps over the synthetic batches
 * }
 * }</pre>
 */
final class BenchTrainer implements AutoCloseable {
    static final int SYNTHETIC_BATCHES = 4;

    private final NetworkGraph graph;
    private final ParameterStore params;
    private final Network net;
    private final SgdOptimizer optimizer;
    private final int batch;
    private final double lr;
    private final float[][] features;
    private final int[][] labels;
    private long nanosLoss;
    private long nanosOptimizer;
    private long timedSteps;
    private boolean timing;
    private int next;

    private BenchTrainer(NetworkGraph graph, ParameterStore params, int batch, double lr, long dataSeed) {
        this.graph = graph;
        this.params = params;
        this.batch = batch;
        this.lr = lr;
        this.net = new Network(graph, params, batch);
        this.optimizer = new SgdOptimizer(params, SgdConfig.cifarDefault());
        this.features = new float[SYNTHETIC_BATCHES][];
        this.labels = new int[SYNTHETIC_BATCHES][];
        for (int i = 0; i < SYNTHETIC_BATCHES; i++) {
            features[i] = gaussian(graph, batch, dataSeed + i);
            labels[i] = labels(batch, classes(graph), dataSeed + 1000 + i);
        }
    }

    /** A freshly initialised network (model-ops' seeded {@link Initializer}); owns its parameters. */
    static BenchTrainer initialised(NetworkGraph graph, int batch, long seed, double lr) {
        ParameterStore p = ParameterStore.allocate(graph, DataType.FLOAT);
        new Initializer(seed).initialize(graph, p);
        return new BenchTrainer(graph, p, batch, lr, seed);
    }

    /** Trains the given parameters (taken over: closed with the trainer). */
    static BenchTrainer of(NetworkGraph graph, ParameterStore params, int batch, long seed, double lr) {
        return new BenchTrainer(graph, params, batch, lr, seed);
    }

    static float[] gaussian(NetworkGraph graph, int batch, long seed) {
        Shape s = graph.shape(graph.nodes().get(0).id());
        float[] x = new float[batch * s.channels() * s.height() * s.width()];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static int[] labels(int batch, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    static int classes(NetworkGraph graph) {
        return graph.shape(graph.nodes().get(graph.nodes().size() - 1).id()).channels();
    }

    NetworkGraph graph() {
        return graph;
    }

    ParameterStore params() {
        return params;
    }

    Network network() {
        return net;
    }

    int batch() {
        return batch;
    }

    /** One training step on the given batch; returns the loss (before the update). */
    double step(float[] x, int[] y) {
        INDArray in = net.input(batch);
        in.data().asNioFloat().put(x, 0, (int) in.length());
        INDArray logits = net.forward(batch, true);
        long t0 = timing ? System.nanoTime() : 0;
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, y, batch, net.outputGradient(batch));
        long t1 = timing ? System.nanoTime() : 0;
        net.backward(batch);
        long t2 = timing ? System.nanoTime() : 0;
        optimizer.step(lr);
        if (timing) {
            nanosLoss += t1 - t0;
            nanosOptimizer += System.nanoTime() - t2;
            timedSteps++;
        }
        return r.loss();
    }

    /** {@code steps} training steps over the synthetic batches; returns the elapsed seconds. */
    double run(int steps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            int b = next++ % SYNTHETIC_BATCHES;
            step(features[b], labels[b]);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Switches per-layer timing (and loss / optimiser timing) on, counting from zero, or off. */
    LayerTimings timing(boolean on) {
        timing = on;
        nanosLoss = 0;
        nanosOptimizer = 0;
        timedSteps = 0;
        LayerTimings t = on ? new LayerTimings() : null;
        net.setTimings(t);
        return t;
    }

    double lossMsPerStep() {
        return timedSteps == 0 ? 0 : nanosLoss / 1e6 / timedSteps;
    }

    double optimizerMsPerStep() {
        return timedSteps == 0 ? 0 : nanosOptimizer / 1e6 / timedSteps;
    }

    @Override
    public void close() {
        net.close();
        optimizer.close();
        params.close();
    }
}
