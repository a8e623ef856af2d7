package org.ocsp.modelops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.testing.SeededGaussian;

/**
 * The oneDNN engine (float32) computes what the ND4J engine computes in float64 from the same
 * parameters: logits, every parameter gradient and the BN running statistics of a training step,
 * then evaluation logits, on the gradient-check
 * graphs (every layer type, residual adds, depthwise and grouped convs, flatten of a spatial map,
 * BN over [N, C]) and on real architectures, at the full batch and at a smaller batch that shares
 * the same buffers, in both activation layouts (blocked and channels-last). The ND4J engine itself is checked against finite differences in
 * {@link GradientCheckTest}.
 */
class EngineEquivalenceTest {
    private static final int BATCH = 8;
    private static final int PARTIAL = 5;
    static final int WINOGRAD_BATCH = 32;
    private static final double YARDSTICK_FACTOR = 20;
    private static final double FLIPPED_TOLERANCE = 5e-2;
    private static final double FLOAT32_EPSILON = 0x1p-23;
    /** A ReLU input this close to zero (relative to the layer's largest) may round to either side. */
    private static final double FLIP_MARGIN = 1e-4;

    @BeforeAll
    static void oneDnnLoads() {
        assumeTrue(Dnnl.get().isPresent(), "oneDNN native library not available on this platform");
    }

    static Stream<Arguments> graphs() {
        List<Arguments> all = new ArrayList<>();
        GradientCheckTest.graphs().forEach(all::add);
        all.add(Arguments.of("pruned-block", DnnlConvLayoutTest.prunedBlock()));
        for (String arch : List.of("fashion-vgg", "resnet20", "mobile-tiny", "mobile-tiny-residual")) {
            all.add(Arguments.of(arch, Architectures.byName(arch, 10)));
        }
        List<Arguments> cases = new ArrayList<>();
        for (DnnlPlan.LayoutChoice layout : List.of(DnnlPlan.LayoutChoice.BLOCKED, DnnlPlan.LayoutChoice.CHANNELS_LAST)) {
            for (Arguments a : all) {
                cases.add(Arguments.of(a.get()[0], a.get()[1], layout, ConvAlgorithm.AUTO, BATCH));
            }
        }
        // At batch 32 AUTO takes Winograd in all three passes for 4 of the VGG's 5 convs (DnnlConvLayoutTest),
        // ONEDNN for the forward and backward-data passes of some, at 8 neither does; at 16 AUTO takes it for
        // ResNet-20's 32- and 64-channel convs; where the ISA has no Winograd kernels (AVX2) AUTO takes none.
        for (ConvAlgorithm algorithm : ConvAlgorithm.values()) {
            cases.add(Arguments.of("fashion-vgg", Architectures.byName("fashion-vgg", 10), DnnlPlan.LayoutChoice.BLOCKED,
                    algorithm, WINOGRAD_BATCH));
            cases.add(Arguments.of("resnet20", Architectures.byName("resnet20", 10), DnnlPlan.LayoutChoice.BLOCKED,
                    algorithm, 16));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {2} {3} batch {4}")
    @MethodSource("graphs")
    void oneDnnMatchesNd4j(String name, NetworkGraph graph, DnnlPlan.LayoutChoice layout, ConvAlgorithm algorithm, int full) {
        try (ParameterStore pb = randomParams(graph, 7);
             ParameterStore pa = inType(graph, pb, DataType.DOUBLE);
             ParameterStore pc = inType(graph, pb, DataType.FLOAT);
             Network nd4j = new Network(graph, pa, full, Engine.ND4J);
             Network yardstick = new Network(graph, pc, full, Engine.ND4J);
             Network onednn = new Network(graph, pb, full, Engine.ONEDNN, layout, algorithm)) {
            assertEquals(Engine.ONEDNN, onednn.engine());
            for (int batch : new int[] {full, PARTIAL}) {
                float[] x = SeededGaussian.floats(batch * inputSize(graph), 11 + batch);
                float[] dy = SeededGaussian.floats(batch * classes(graph), 13 + batch);
                INDArray la = step(nd4j, batch, x, dy);
                step(yardstick, batch, x, dy);
                INDArray lb = step(onednn, batch, x, dy);
                assertClose(name + " logits at batch " + batch, la, lb, 1e-4);
                assertEquals(Engine.ONEDNN, onednn.engine(), "the oneDNN engine must not fall back for " + name);
                Set<LayerId> flipped = flippedLayers(graph, nd4j, onednn, batch, name);
                flipped.addAll(flippedLayers(graph, nd4j, yardstick, batch, name + " (ND4J float32)"));
                for (TensorRef ref : pa.refs()) {
                    String what = name + " " + ref.key() + " at batch " + batch;
                    if (ref.kind().trainable()) {
                        assertGradientClose(what + " gradient", pa.gradient(ref.layer(), ref.kind()),
                                pc.gradient(ref.layer(), ref.kind()), pb.gradient(ref.layer(), ref.kind()),
                                reachesAny(graph, ref.layer(), flipped));
                    } else {
                        assertClose(what, pa.tensor(ref.layer(), ref.kind()), pb.tensor(ref.layer(), ref.kind()), 1e-4);
                    }
                }
                INDArray ea = nd4j.forward(batch, false).dup();
                INDArray eb = onednn.forward(batch, false).dup();
                assertClose(name + " evaluation logits at batch " + batch, ea, eb, 1e-4);
            }
        }
    }

    /**
     * ReLUs whose mask differs between the float64 reference and a float32 engine, after checking
     * that every differing element is within float32 rounding of zero in both: there a flip is
     * rounding, anywhere else it is a bug.
     */
    private static Set<LayerId> flippedLayers(NetworkGraph graph, Network reference, Network other, int batch, String name) {
        Set<LayerId> flipped = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (!(n.spec() instanceof LayerSpec.Relu)) {
                continue;
            }
            double[] a = reference.activation(batch, n.id()).castTo(DataType.DOUBLE).data().asDouble();
            double[] b = other.activation(batch, n.id()).castTo(DataType.DOUBLE).data().asDouble();
            double scale = Math.max(Arrays.stream(a).max().orElse(0), 1e-3);
            for (int i = 0; i < a.length; i++) {
                if ((a[i] > 0) != (b[i] > 0)) {
                    assertTrue(Math.max(a[i], b[i]) <= FLIP_MARGIN * scale, name + " " + n.id() + " element " + i
                            + ": the ReLU's mask differs at " + a[i] + " (float64) vs " + b[i] + ", max " + scale);
                    flipped.add(n.id());
                }
            }
        }
        return flipped;
    }

    /** True if the layer's output flows into one of the given layers (so its gradient passes their masks). */
    private static boolean reachesAny(NetworkGraph graph, LayerId layer, Set<LayerId> targets) {
        Deque<LayerId> open = new ArrayDeque<>(List.of(layer));
        Set<LayerId> seen = new HashSet<>();
        while (!open.isEmpty()) {
            LayerId id = open.pop();
            if (targets.contains(id)) {
                return true;
            }
            if (seen.add(id)) {
                open.addAll(graph.consumers(id));
            }
        }
        return false;
    }

    private static INDArray step(Network net, int batch, float[] x, float[] dy) {
        net.input(batch).assign(Nd4j.createFromArray(x).reshape(net.input(batch).shape()));
        INDArray logits = net.forward(batch, true).dup();
        net.outputGradient(batch).assign(Nd4j.createFromArray(dy).reshape(net.outputGradient(batch).shape()));
        net.backward(batch);
        return logits;
    }

    private static ParameterStore inType(NetworkGraph graph, ParameterStore f, DataType type) {
        ParameterStore d = ParameterStore.allocate(graph, type);
        for (TensorRef ref : f.refs()) {
            d.tensor(ref.layer(), ref.kind()).assign(f.tensor(ref.layer(), ref.kind()).castTo(type));
        }
        return d;
    }

    /** Seeded parameters with BN scales, shifts and running statistics away from their defaults. */
    private static ParameterStore randomParams(NetworkGraph graph, long seed) {
        ParameterStore p = ParameterStore.allocate(graph, DataType.FLOAT);
        new Initializer(seed).initialize(graph, p);
        SplittableRandom r = new SplittableRandom(seed);
        for (Node n : graph.nodes()) {
            if (n.spec() instanceof LayerSpec.BatchNorm b) {
                for (int c = 0; c < b.channels(); c++) {
                    p.tensor(n.id(), TensorKind.GAMMA).putScalar(c, 0.5 + r.nextDouble());
                    p.tensor(n.id(), TensorKind.BETA).putScalar(c, r.nextDouble() - 0.5);
                    p.tensor(n.id(), TensorKind.RUNNING_MEAN).putScalar(c, r.nextDouble() - 0.5);
                    p.tensor(n.id(), TensorKind.RUNNING_VAR).putScalar(c, 0.5 + r.nextDouble());
                }
            }
        }
        return p;
    }

    private static int inputSize(NetworkGraph g) {
        var s = g.shape(g.nodes().get(0).id());
        return s.channels() * s.height() * s.width();
    }

    private static int classes(NetworkGraph g) {
        return g.shape(g.nodes().get(g.nodes().size() - 1).id()).channels();
    }

    /**
     * A gradient of the oneDNN engine (float32) against the float64 reference, measured by the
     * yardstick of float32 rounding: the ND4J engine in float32 (libnd4j's own reductions, as
     * precise as PyTorch's float32 CPU path) against the same reference.
     *
     * <ul>
     *   <li>Where no ReLU mask differs downstream, ||diff|| / ||ref|| must be within
     *       {@value #YARDSTICK_FACTOR}x the yardstick's (both floored at float32's epsilon). Measured
     *       (2026-12-02, every case, oneDNN dispatching AVX-512 and, capped, AVX2 on one AMD EPYC):
     *       at most 7.7x with AVX-512 and 14.0x with AVX2, both in batch-norm shift gradients
     *       (a float32 sum over N*H*W in oneDNN's bnorm_jit kernels; the VGG's features.15.beta at
     *       batch 32: 2.6e-6 against 1.9e-7). The AVX2 kernel's batch statistics are 8-14x less
     *       precise than libnd4j's (bench/RESULTS.md, "float32 precision per ISA"), which also
     *       shows as 3-4x larger activation errors after every batch norm.
     *       A wrong layout, stride or routing moves a gradient by 30-100 % (the workspace overrun in
     *       {@link DnnlConv#overrunsItsWorkspace}: 45-80 %).</li>
     *   <li>Past a ReLU whose input is within rounding of zero (one element of 65536 flips its mask,
     *       {@link #flippedLayers}), that element's whole upstream gradient passes in one engine and
     *       not in the other: measured up to 1.1 % of the norm (ResNet-20 at batch 8, AVX2). Those
     *       gradients must be within {@value #FLIPPED_TOLERANCE} of the reference, which still
     *       catches every structural error.</li>
     * </ul>
     */
    private static void assertGradientClose(String what, INDArray ref, INDArray float32, INDArray onednn, boolean pastAFlip) {
        assertEquals(ref.length(), onednn.length(), what + ": length");
        double error = relativeError(ref, onednn);
        double yardstick = relativeError(ref, float32);
        String measured = what + ": oneDNN ||diff|| / ||ref|| " + error + ", float32 yardstick (ND4J float32) " + yardstick;
        if (pastAFlip) {
            assertTrue(error <= FLIPPED_TOLERANCE, measured + ", past a ReLU mask that differs by rounding: allowed "
                    + FLIPPED_TOLERANCE);
        } else {
            double allowed = YARDSTICK_FACTOR * Math.max(yardstick, FLOAT32_EPSILON);
            assertTrue(error <= allowed, measured + ": " + String.format(Locale.ROOT, "%.1f", error
                    / Math.max(yardstick, FLOAT32_EPSILON)) + "x the yardstick, allowed " + YARDSTICK_FACTOR + "x");
        }
    }

    /** ||a - b|| / ||a||, with ||a|| floored at 1e-3 (a conv bias before batch norm has a gradient of exactly zero). */
    private static double relativeError(INDArray a, INDArray b) {
        INDArray ad = a.castTo(DataType.DOUBLE);
        return ad.sub(b.castTo(DataType.DOUBLE)).norm2Number().doubleValue() / Math.max(ad.norm2Number().doubleValue(), 1e-3);
    }

    /**
     * max|a - b| relative to max|a|, with max|a| floored at 1e-3: a conv bias followed by batch
     * norm has a gradient of exactly zero in exact arithmetic, float32 leaves ~1e-7 of noise.
     */
    private static void assertClose(String what, INDArray a, INDArray b, double tol) {
        assertEquals(a.length(), b.length(), what + ": length");
        double scale = Math.max(a.amaxNumber().doubleValue(), 1e-3);
        double diff = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff / scale <= tol, what + ": max|diff| " + diff + " vs max|ref| " + scale);
    }
}
