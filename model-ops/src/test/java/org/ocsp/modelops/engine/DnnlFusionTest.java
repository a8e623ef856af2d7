package org.ocsp.modelops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * Which batch norms the oneDNN plan runs fused with their ReLU: exactly those whose only reader is
 * a ReLU (not the ones feeding a residual add). {@link EngineEquivalenceTest} checks that the fused
 * networks compute the same as the ND4J engine.
 */
class DnnlFusionTest {
    private static final int BATCH = 4;

    @BeforeAll
    static void oneDnnLoads() {
        assumeTrue(Dnnl.get().isPresent(), "oneDNN native library not available on this platform");
    }

    @ParameterizedTest
    @EnumSource(value = DnnlPlan.LayoutChoice.class, names = {"BLOCKED", "CHANNELS_LAST"})
    void everyVggBatchNormRunsWithItsRelu(DnnlPlan.LayoutChoice layout) {
        NetworkGraph g = Architectures.byName("fashion-vgg", 10);
        List<LayerId> batchNorms = g.nodes().stream().filter(n -> n.spec() instanceof LayerSpec.BatchNorm).map(Node::id).toList();
        assertEquals(5, batchNorms.size());
        assertEquals(batchNorms, fused(g, layout));
    }

    @ParameterizedTest
    @EnumSource(value = DnnlPlan.LayoutChoice.class, names = {"BLOCKED", "CHANNELS_LAST"})
    void resnetFusesOnlyTheBatchNormsBeforeARelu(DnnlPlan.LayoutChoice layout) {
        NetworkGraph g = Architectures.byName("resnet20", 10);
        List<String> fused = fused(g, layout).stream().map(LayerId::value).toList();
        // The stem's and every block's first batch norm; a block's second one and the projections feed the add.
        assertEquals(1 + 9, fused.size(), fused.toString());
        assertEquals("bn1", fused.get(0));
        fused.stream().skip(1).forEach(id -> assertEquals(true, id.endsWith(".bn1"), id));
    }

    @ParameterizedTest
    @EnumSource(value = DnnlPlan.LayoutChoice.class, names = {"BLOCKED", "CHANNELS_LAST"})
    void aFusedBatchNormHasNoOutputOfItsOwn(DnnlPlan.LayoutChoice layout) {
        NetworkGraph g = Architectures.byName("fashion-vgg", 10);
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            new Initializer(3).initialize(g, p);
            DnnlPlan.Arena arena = new DnnlPlan.Arena(BATCH, layout);
            DnnlPlan plan = DnnlPlan.build(Dnnl.get().orElseThrow(), g, p, arena, BATCH);
            plan.forward(true);
            assertThrows(IllegalStateException.class, () -> plan.activation(plan.fusedBatchNorms().get(0)));
            arena.close();
        }
    }

    private static List<LayerId> fused(NetworkGraph g, DnnlPlan.LayoutChoice layout) {
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            new Initializer(3).initialize(g, p);
            DnnlPlan.Arena arena = new DnnlPlan.Arena(BATCH, layout);
            List<LayerId> fused = DnnlPlan.build(Dnnl.get().orElseThrow(), g, p, arena, BATCH).fusedBatchNorms();
            arena.close();
            return fused;
        }
    }
}
