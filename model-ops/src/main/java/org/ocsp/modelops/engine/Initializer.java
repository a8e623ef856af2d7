package org.ocsp.modelops.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * Seeded, deterministic initialisation as in the reference models: conv weights Kaiming
 * normal (fan_out, ReLU gain), BN gamma 1 and beta 0 with running stats 0/1, linear layers
 * PyTorch's default uniform(-1/sqrt(in), 1/sqrt(in)). Each tensor draws from its own stream
 * derived from (seed, layer id), so adding a layer does not change the others.
 *
 * <pre>{@code
 * new Initializer(42).initialize(graph, store);
 * }</pre>
 */
public final class Initializer {
    private final long seed;

    public Initializer(long seed) {
        this.seed = seed;
    }

    public void initialize(NetworkGraph graph, ParameterStore store) {
        for (Node n : graph.nodes()) {
            LayerSpec s = n.spec();
            if (s instanceof LayerSpec.Conv2d c) {
                double std = Math.sqrt(2.0 / ((double) c.outChannels() / c.groups() * c.kernel() * c.kernel()));
                fillGaussian(store.tensor(n.id(), TensorKind.WEIGHT), std, stream(n, "weight"));
                store.find(n.id(), TensorKind.BIAS).ifPresent(b -> b.assign(0));
            } else if (s instanceof LayerSpec.Linear l) {
                double bound = 1.0 / Math.sqrt(l.inFeatures());
                fillUniform(store.tensor(n.id(), TensorKind.WEIGHT), bound, stream(n, "weight"));
                store.find(n.id(), TensorKind.BIAS).ifPresent(b -> fillUniform(b, bound, stream(n, "bias")));
            } else if (s instanceof LayerSpec.BatchNorm) {
                store.tensor(n.id(), TensorKind.GAMMA).assign(1);
                store.tensor(n.id(), TensorKind.BETA).assign(0);
                store.tensor(n.id(), TensorKind.RUNNING_MEAN).assign(0);
                store.tensor(n.id(), TensorKind.RUNNING_VAR).assign(1);
            }
        }
    }

    private SplittableRandom stream(Node n, String tensor) {
        long h = seed;
        for (byte b : (n.id().value() + "/" + tensor).getBytes(StandardCharsets.UTF_8)) {
            h = h * 1_000_003L + b;
        }
        return new SplittableRandom(h);
    }

    private static void fillGaussian(INDArray t, double std, SplittableRandom r) {
        double[] v = new double[(int) t.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * std;
        }
        assign(t, v);
    }

    private static void fillUniform(INDArray t, double bound, SplittableRandom r) {
        double[] v = new double[(int) t.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextDouble() * 2 - 1) * bound;
        }
        assign(t, v);
    }

    private static void assign(INDArray t, double[] v) {
        t.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(v).castTo(t.dataType()).reshape(t.shape()));
    }
}
