package org.ocsp.modelops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
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
     * AUTO gives oneDNN the choice, and on this CPU it takes Winograd for the VGG's 3x3 convs at the
     * equivalence test's Winograd batch (32; not at 8), so {@link EngineEquivalenceTest} checks Winograd's numbers; DIRECT
     * never does.
     */
    @Test
    void autoPicksWinogradForTheVggAndDirectDoesNot() {
        NetworkGraph g = org.ocsp.modelops.arch.Architectures.byName("fashion-vgg", 10);
        assumeTrue(Dnnl.get().orElseThrow().activationLayouts().get(0) == org.bytedeco.dnnl.memory.format_tag.nChw16c,
                "Winograd needs AVX-512 here");
        for (ConvAlgorithm a : ConvAlgorithm.values()) {
            try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
                new Initializer(5).initialize(g, p);
                int batch = EngineEquivalenceTest.WINOGRAD_BATCH;
                DnnlPlan.Arena arena = new DnnlPlan.Arena(batch, DnnlPlan.LayoutChoice.AUTO, a);
                java.util.Collection<String> kernels = DnnlPlan.build(Dnnl.get().orElseThrow(), g, p, arena, batch)
                        .convImplementations().values();
                assertEquals(a == ConvAlgorithm.AUTO, kernels.stream().anyMatch(k -> k.contains("wino")), a + ": " + kernels);
                arena.close();
            }
        }
    }

    @Test
    void onlyTheConvWithoutABlockedKernelLeavesTheBlockedLayout() {
        NetworkGraph g = prunedBlock();
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            new Initializer(5).initialize(g, p);
            DnnlPlan.Arena arena = new DnnlPlan.Arena(BATCH, DnnlPlan.LayoutChoice.AUTO);
            DnnlPlan plan = DnnlPlan.build(Dnnl.get().orElseThrow(), g, p, arena, BATCH);
            assertEquals(Dnnl.get().orElseThrow().activationLayouts().get(0), plan.activationLayout());
            assertEquals(List.of(), plan.referenceKernels());
            assertEquals(List.of(LayerId.of("c2")), plan.convsInOwnLayouts());
            arena.close();
        }
    }
}
