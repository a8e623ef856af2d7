package org.ocsp.modelops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.global.dnnl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * A pruned channel count that oneDNN 2.5 serves only with its reference conv kernel in the blocked
 * layout (14 input channels, as in a pruned ResNet-56 block) is converted to channels-last for that
 * conv alone; the rest of the plan stays blocked. {@link EngineEquivalenceTest} runs
 * {@link #prunedBlock()} against the ND4J engine.
 */
class DnnlConvLayoutTest {
    private static final int BATCH = 8;


    @BeforeAll
    static void oneDnnLoads() {
        assumeTrue(Dnnl.get().isPresent(), "oneDNN native library not available on this platform");
    }

    /** A ResNet-56 stage-2 block after pruning: 32 -> 14 -> 32 channels at 16x16. */
    static NetworkGraph prunedBlock() {
        return NetworkGraph.builder("pruned-block", new LayerSpec.Input(3, 16, 16))
                .add("c0", new LayerSpec.Conv2d(3, 32, 3, 1, 1, 1, false))
                .add("b0", new LayerSpec.BatchNorm(32))
                .add("r0", new LayerSpec.Relu())
                .add("c1", new LayerSpec.Conv2d(32, 14, 3, 1, 1, 1, false))
                .add("b1", new LayerSpec.BatchNorm(14))
                .add("r1", new LayerSpec.Relu())
                .add("c2", new LayerSpec.Conv2d(14, 32, 3, 1, 1, 1, false))
                .add("b2", new LayerSpec.BatchNorm(32))
                .add("r2", new LayerSpec.Relu())
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("f", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(32, 10, true))
                .build();
    }

    /**
     * On this CPU AUTO takes Winograd for the forward and backward-data passes of the VGG's wide
     * 3x3 convs at the equivalence test's Winograd batch (32), and for backward-weights of the
     * widest, so {@link EngineEquivalenceTest} checks Winograd's numbers in all three passes; the
     * narrow first conv stays direct. ONEDNN never takes Winograd for backward-weights; DIRECT
     * never takes it.
     */
    @Test
    void autoTakesWinogradForTheWideConvsOnly() {
        NetworkGraph g = org.ocsp.modelops.arch.Architectures.byName("fashion-vgg", 10);
        assumeTrue(Dnnl.get().orElseThrow().hasWinograd(), "no Winograd kernels on ISA " + Dnnl.get().orElseThrow().isa());
        Map<ConvAlgorithm, Map<LayerId, String>> kernels = new EnumMap<>(ConvAlgorithm.class);
        for (ConvAlgorithm a : ConvAlgorithm.values()) {
            try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
                new Initializer(5).initialize(g, p);
                int batch = EngineEquivalenceTest.WINOGRAD_BATCH;
                DnnlPlan.Arena arena = new DnnlPlan.Arena(batch, DnnlPlan.LayoutChoice.AUTO, a);
                kernels.put(a, DnnlPlan.build(Dnnl.get().orElseThrow(), g, p, arena, batch).convImplementations());
                arena.close();
            }
        }
        Map<LayerId, String> auto = kernels.get(ConvAlgorithm.AUTO);
        for (String wide : List.of("features.3", "features.7", "features.10", "features.14")) {
            String k = auto.get(LayerId.of(wide));
            assertTrue(k.contains("forward jit_wino") && k.contains("backward-data jit_wino"), wide + ": " + k);
        }
        for (String widest : List.of("features.7", "features.10", "features.14")) {
            String k = auto.get(LayerId.of(widest));
            assertTrue(k.contains("backward-weights jit_wino"), widest + ": " + k);
        }
        assertFalse(auto.get(LayerId.of("features.3")).contains("backward-weights jit_wino"), auto.toString());
        assertFalse(auto.get(LayerId.of("features.0")).contains("wino"), auto.toString());
        assertTrue(kernels.get(ConvAlgorithm.ONEDNN).values().stream().anyMatch(k -> k.startsWith("forward jit_wino")),
                kernels.get(ConvAlgorithm.ONEDNN).toString());
        assertTrue(kernels.get(ConvAlgorithm.ONEDNN).values().stream().noneMatch(k -> k.contains("backward-weights jit_wino")),
                kernels.get(ConvAlgorithm.ONEDNN).toString());
        assertTrue(kernels.get(ConvAlgorithm.DIRECT).values().stream().noneMatch(k -> k.contains("wino")),
                kernels.get(ConvAlgorithm.DIRECT).toString());
    }

    /** Below the batch and channel thresholds AUTO stays direct: Winograd's transforms would cost more than they save. */
    @Test
    void autoStaysDirectForNarrowConvsAndSmallBatches() {
        ConvAlgorithm.Passes direct = ConvAlgorithm.Passes.all(dnnl.algorithm.convolution_direct);
        assertEquals(List.of(direct), ConvAlgorithm.AUTO.candidates(new LayerSpec.Conv2d(16, 16, 3, 1, 1, 1, false), 128, true));
        assertEquals(List.of(direct), ConvAlgorithm.AUTO.candidates(new LayerSpec.Conv2d(16, 32, 3, 1, 1, 1, false), 8, true));
        assertEquals(List.of(direct), ConvAlgorithm.AUTO.candidates(new LayerSpec.Conv2d(32, 64, 3, 2, 1, 1, false), 128, true));
        assertEquals(List.of(new ConvAlgorithm.Passes(dnnl.algorithm.convolution_winograd, dnnl.algorithm.convolution_winograd,
                dnnl.algorithm.convolution_direct), direct),
                ConvAlgorithm.AUTO.candidates(new LayerSpec.Conv2d(16, 32, 3, 1, 1, 1, false), 16, true));
        assertEquals(ConvAlgorithm.Passes.all(dnnl.algorithm.convolution_winograd),
                ConvAlgorithm.AUTO.candidates(new LayerSpec.Conv2d(32, 64, 3, 1, 1, 1, false), 16, true).get(0));
    }

    /** On an ISA without Winograd kernels (oneDNN 2.5 on AVX2) AUTO asks for direct kernels only, and the plan gets them. */
    @Test
    void autoAsksForWinogradOnlyWhereTheIsaHasIt() {
        ConvAlgorithm.Passes direct = ConvAlgorithm.Passes.all(dnnl.algorithm.convolution_direct);
        assertEquals(List.of(direct), ConvAlgorithm.AUTO.candidates(new LayerSpec.Conv2d(64, 64, 3, 1, 1, 1, false), 128, false));
        Dnnl d = Dnnl.get().orElseThrow();
        NetworkGraph g = org.ocsp.modelops.arch.Architectures.byName("fashion-vgg", 10);
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            new Initializer(5).initialize(g, p);
            int batch = EngineEquivalenceTest.WINOGRAD_BATCH;
            DnnlPlan.Arena arena = new DnnlPlan.Arena(batch, DnnlPlan.LayoutChoice.AUTO, ConvAlgorithm.AUTO);
            Map<LayerId, String> kernels = DnnlPlan.build(d, g, p, arena, batch).convImplementations();
            arena.close();
            assertEquals(d.hasWinograd(), kernels.values().stream().anyMatch(k -> k.contains("wino")), d.describe() + ": " + kernels);
            // oneDNN names a kernel by the ISA it was written for (avx2, avx512_common, avx512_core)
            String family = d.isa().startsWith("avx512") ? "avx512" : d.isa();
            assertTrue(kernels.values().stream().allMatch(k -> k.contains(family)), d.isa() + ": " + kernels);
            if (!family.equals("avx512")) {
                assertTrue(kernels.values().stream().noneMatch(k -> k.contains("avx512")), d.isa() + ": " + kernels);
            }
        }
    }

    /**
     * AVX-512's 16-channel blocked kernels have no optimised conv for 14 input channels, so c2
     * leaves the blocked layout; AVX2's 8-channel kernels handle the channel tail themselves
     * (jit:avx2 in nChw8c, measured), so there every conv stays blocked.
     */
    @Test
    void onlyTheConvWithoutABlockedKernelLeavesTheBlockedLayout() {
        NetworkGraph g = prunedBlock();
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            new Initializer(5).initialize(g, p);
            DnnlPlan.Arena arena = new DnnlPlan.Arena(BATCH, DnnlPlan.LayoutChoice.AUTO);
            DnnlPlan plan = DnnlPlan.build(Dnnl.get().orElseThrow(), g, p, arena, BATCH);
            assertEquals(Dnnl.get().orElseThrow().activationLayouts().get(0), plan.activationLayout());
            assertEquals(List.of(), plan.referenceKernels());
            int block = Dnnl.get().orElseThrow().channelBlock();
            assertEquals(block == 16 ? List.of(LayerId.of("c2")) : List.of(), plan.convsInOwnLayouts(),
                    "channel block " + block + ", kernels " + plan.convImplementations());
            arena.close();
        }
    }

    /**
     * A strided 1x1 conv on channels-last activations with fewer input channels than a block: oneDNN
     * 2.5's jit_1x1 backward-weights kernel overruns its workspace there, and with two threads its
     * weight gradient was wrong in 99 of 100 identical steps (5 -> 12 channels, AVX2). The plan must
     * take another kernel, and every step must give the float64 gradient.
     */
    @Test
    void aStridedOneByOneConvOnFewChannelsGivesTheRightGradientEveryStep() {
        OpenMpThreads.limitCallingThread(2);
        NetworkGraph g = NetworkGraph.builder("strided-1x1", new LayerSpec.Input(2, 8, 8))
                .add("stem", new LayerSpec.Conv2d(2, 5, 3, 1, 1, 1, false))
                .add("down", new LayerSpec.Conv2d(5, 12, 1, 2, 0, 1, false))
                .add("bn", new LayerSpec.BatchNorm(12))
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("f", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(12, 3, true))
                .build();
        LayerId down = LayerId.of("down");
        try (ParameterStore pf = ParameterStore.allocate(g, DataType.FLOAT);
             ParameterStore pd = ParameterStore.allocate(g, DataType.DOUBLE)) {
            new Initializer(5).initialize(g, pf);
            for (TensorRef ref : pf.refs()) {
                pd.tensor(ref.layer(), ref.kind()).assign(pf.tensor(ref.layer(), ref.kind()).castTo(DataType.DOUBLE));
            }
            try (Network reference = new Network(g, pd, BATCH, Engine.ND4J);
                 Network onednn = new Network(g, pf, BATCH, Engine.ONEDNN, DnnlPlan.LayoutChoice.CHANNELS_LAST)) {
                float[] x = org.ocsp.modelops.testing.SeededGaussian.floats(BATCH * 2 * 8 * 8, 3);
                float[] dy = org.ocsp.modelops.testing.SeededGaussian.floats(BATCH * 3, 4);
                for (Network n : List.of(reference, onednn)) {
                    n.input(BATCH).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(x).reshape(n.input(BATCH).shape()));
                }
                org.nd4j.linalg.api.ndarray.INDArray want = null;
                for (int step = 0; step < 100; step++) {
                    for (Network n : step == 0 ? List.of(reference, onednn) : List.of(onednn)) {
                        n.forward(BATCH, true);
                        n.outputGradient(BATCH).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(dy)
                                .reshape(n.outputGradient(BATCH).shape()));
                        n.backward(BATCH);
                    }
                    if (want == null) {
                        want = pd.gradient(down, TensorKind.WEIGHT).dup();
                    }
                    org.nd4j.linalg.api.ndarray.INDArray got = pf.gradient(down, TensorKind.WEIGHT).castTo(DataType.DOUBLE);
                    double error = want.sub(got).norm2Number().doubleValue() / want.norm2Number().doubleValue();
                    assertTrue(error < 1e-4, "step " + step + ": down.weight gradient off by " + error + " (relative)");
                }
            }
        }
    }
}
