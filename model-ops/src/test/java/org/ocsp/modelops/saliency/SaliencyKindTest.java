package org.ocsp.modelops.saliency;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

class SaliencyKindTest {
    private final NetworkGraph graph = Architectures.byName("fashion-vgg", 10, new LayerSpec.Input(1, 28, 28));

    @Test
    void theCostAwareFactorIsAppliedOnlyWhenAskedFor() {
        assertInstanceOf(CostAwareSaliency.class, SaliencyKind.L2.measure(graph, g -> CostModel.of(g).flops(), true));
        assertInstanceOf(L2GroupSaliency.class, SaliencyKind.L2.measure(graph, g -> CostModel.of(g).flops(), false));
        assertInstanceOf(TaylorSaliency.class, SaliencyKind.TAYLOR.measure(graph, g -> CostModel.of(g).flops(), false));
        assertInstanceOf(CostAwareSaliency.class, SaliencyKind.BN_SCALE.measure(graph, g -> CostModel.of(g).flops()));
    }
}
