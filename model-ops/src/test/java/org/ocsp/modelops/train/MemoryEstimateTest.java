package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

class MemoryEstimateTest {
    private static final LayerSpec.Input FASHION = new LayerSpec.Input(1, 28, 28);

    @Test
    void parametersCountThriceAndActivationsTwicePerExample() {
        NetworkGraph g = Architectures.byName("fashion-vgg", 10, FASHION);
        MemoryEstimate one = MemoryEstimate.of(g, 1);
        MemoryEstimate many = MemoryEstimate.of(g, 128);
        assertEquals(CostModel.of(g).params() * 12, one.parameterBytes());
        assertEquals(one.parameterBytes(), many.parameterBytes());
        assertEquals(one.activationBytes() * 128, many.activationBytes());
        assertTrue(one.activationBytes() >= 2L * 4 * 28 * 28, "the input alone is one 28x28 plane");
    }

    @Test
    void aHugeClassifierIsCountedWithoutBuildingIt() {
        NetworkGraph g = Architectures.byName("fashion-vgg", 50_000_000, FASHION);
        MemoryEstimate m = MemoryEstimate.of(g, 128);
        assertTrue(m.totalBytes() > 64L << 30, m.describe());
        assertTrue(m.describe().contains("MiB"), m.describe());
    }
}
