package org.ocsp.modelops.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/** Backward of every layer type against central finite differences, in double precision. */
class GradientCheckTest {
    private static final int BATCH = 3;

    static Stream<Arguments> graphs() {
        return Stream.of(
                Arguments.of("conv-bn-relu-maxpool-avgpool-linear", NetworkGraph.builder("plain", new LayerSpec.Input(2, 8, 8))
                        .add("c1", new LayerSpec.Conv2d(2, 4, 3, 1, 1, 1, true))
                        .add("b1", new LayerSpec.BatchNorm(4))
                        .add("r1", new LayerSpec.Relu())
                        .add("p1", new LayerSpec.MaxPool(2, 2, 0))
                        .add("c2", new LayerSpec.Conv2d(4, 5, 3, 2, 1, 1, false))
                        .add("b2", new LayerSpec.BatchNorm(5))
                        .add("r2", new LayerSpec.Relu())
                        .add("p2", new LayerSpec.AvgPool(2, 2))
                        .add("f", new LayerSpec.Flatten())
                        .add("fc", new LayerSpec.Linear(5, 3, true))
                        .build()),
                Arguments.of("residual-with-projection", residual()),
                Arguments.of("depthwise-and-grouped", NetworkGraph.builder("dw", new LayerSpec.Input(2, 6, 6))
                        .add("c1", new LayerSpec.Conv2d(2, 4, 3, 1, 1, 1, false))
                        .add("b1", new LayerSpec.BatchNorm(4))
                        .add("r1", new LayerSpec.Relu())
                        .add("dw", new LayerSpec.Conv2d(4, 4, 3, 1, 1, 4, false))
                        .add("b2", new LayerSpec.BatchNorm(4))
                        .add("r2", new LayerSpec.Relu())
                        .add("gc", new LayerSpec.Conv2d(4, 6, 1, 1, 0, 2, true))
                        .add("gap", new LayerSpec.GlobalAvgPool())
                        .add("f", new LayerSpec.Flatten())
                        .add("fc", new LayerSpec.Linear(6, 3, false))
                        .build()),
                Arguments.of("flatten-linear-bn1d", NetworkGraph.builder("mlp", new LayerSpec.Input(2, 4, 4))
                        .add("c1", new LayerSpec.Conv2d(2, 3, 3, 1, 0, 1, true))
                        .add("f", new LayerSpec.Flatten())
                        .add("fc1", new LayerSpec.Linear(12, 6, true))
                        .add("bn", new LayerSpec.BatchNorm(6))
                        .add("r", new LayerSpec.Relu())
                        .add("fc2", new LayerSpec.Linear(6, 3, true))
                        .build()));
    }

    private static NetworkGraph residual() {
        NetworkGraph.Builder b = NetworkGraph.builder("res", new LayerSpec.Input(2, 6, 6))
                .add("stem", new LayerSpec.Conv2d(2, 3, 3, 1, 1, 1, false))
                .add("stem.bn", new LayerSpec.BatchNorm(3))
                .add("stem.relu", new LayerSpec.Relu())
                .add("conv1", new LayerSpec.Conv2d(3, 4, 3, 2, 1, 1, false))
                .add("bn1", new LayerSpec.BatchNorm(4))
                .add("relu1", new LayerSpec.Relu())
                .add("conv2", new LayerSpec.Conv2d(4, 4, 3, 1, 1, 1, false))
                .add("bn2", new LayerSpec.BatchNorm(4))
                .add("down", new LayerSpec.Conv2d(3, 4, 1, 2, 0, 1, false), "stem.relu")
                .add("down.bn", new LayerSpec.BatchNorm(4))
                .add("add", new LayerSpec.Add(), "bn2", "down.bn")
                .add("relu2", new LayerSpec.Relu())
                .add("conv3", new LayerSpec.Conv2d(4, 4, 3, 1, 1, 1, false))
                .add("bn3", new LayerSpec.BatchNorm(4))
                .add("add2", new LayerSpec.Add(), "bn3", "relu2")
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("f", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(4, 3, true));
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void analyticGradientsMatchFiniteDifferences(String name, NetworkGraph graph) {
        try (ParameterStore p = ParameterStore.allocate(graph, DataType.DOUBLE);
             Network net = new Network(graph, p, BATCH)) {
            new Initializer(7).initialize(graph, p);
            SplittableRandom r = new SplittableRandom(11);
            // Non-trivial BN affine parameters and biases so their gradients are exercised.
            for (TensorRef ref : p.refs()) {
                if (ref.kind() == TensorKind.GAMMA || ref.kind() == TensorKind.BETA || ref.kind() == TensorKind.BIAS) {
                    INDArray t = p.tensor(ref.layer(), ref.kind());
                    for (long i = 0; i < t.length(); i++) {
                        t.putScalar(i, (ref.kind() == TensorKind.GAMMA ? 1 : 0) + r.nextDouble(-0.5, 0.5));
                    }
                }
            }
            INDArray x = net.input(BATCH);
            for (long i = 0; i < x.length(); i++) {
                x.putScalar(i, r.nextGaussian());
            }
            int[] labels = {0, 2, 1};
            double loss0 = SoftmaxCrossEntropy.compute(net.forward(BATCH, true), labels, BATCH, net.outputGradient(BATCH)).loss();
            assertTrue(Double.isFinite(loss0));
            net.backward(BATCH);
            INDArray analytic = p.flatGradients().dup();
            INDArray w = p.flatParams();
            double h = 1e-6;
            int checked = 0;
            double worst = 0;
            String worstAt = "";
            for (long i = 0; i < w.length(); i += Math.max(1, w.length() / 150)) {
                double orig = w.getDouble(i);
                w.putScalar(i, orig + h);
                double lp = SoftmaxCrossEntropy.compute(net.forward(BATCH, true), labels, BATCH, null).loss();
                w.putScalar(i, orig - h);
                double lm = SoftmaxCrossEntropy.compute(net.forward(BATCH, true), labels, BATCH, null).loss();
                w.putScalar(i, orig);
                double numeric = (lp - lm) / (2 * h);
                double a = analytic.getDouble(i);
                double err = Math.abs(numeric - a) / Math.max(1e-3, Math.abs(numeric) + Math.abs(a));
                if (err > worst) {
                    worst = err;
                    worstAt = "param " + i + " (" + owner(p, i) + ") analytic " + a + " numeric " + numeric;
                }
                checked++;
            }
            assertTrue(checked > 20, "checked too few parameters: " + checked);
            assertTrue(worst < 1e-4, name + ": worst relative error " + worst + " at " + worstAt);
        }
    }

    private static String owner(ParameterStore p, long flatIndex) {
        for (TensorRef ref : p.refs()) {
            if (!ref.kind().trainable()) {
                continue;
            }
            long off = p.offset(ref);
            long len = p.tensor(ref.layer(), ref.kind()).length();
            if (flatIndex >= off && flatIndex < off + len) {
                return ref.key();
            }
        }
        return "?";
    }
}
