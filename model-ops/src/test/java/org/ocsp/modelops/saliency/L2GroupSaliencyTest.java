package org.ocsp.modelops.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;

class L2GroupSaliencyTest {
    // conv a: 1 -> 2 channels, 1x1 kernel; BN; conv b: 2 -> 3, 1x1; flatten over 1x1; linear 3 -> 10.
    private static NetworkGraph graph() {
        return NetworkGraph.builder("tiny", new LayerSpec.Input(1, 1, 1))
                .add("a", new LayerSpec.Conv2d(1, 2, 1, 1, 0, 1, false))
                .add("bn", new LayerSpec.BatchNorm(2))
                .add("b", new LayerSpec.Conv2d(2, 3, 1, 1, 0, 1, false))
                .add("flat", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(3, 10, false))
                .build();
    }

    @Test
    void sumsFanNormalisedSquaresAndGammaSquaredOverMembersDividedByMemberCount() {
        NetworkGraph g = graph();
        List<ChannelGroup> groups = ChannelGroups.derive(g);
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            p.tensor(LayerId.of("a"), TensorKind.WEIGHT).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(2f, 3f).reshape(2, 1, 1, 1));
            p.tensor(LayerId.of("bn"), TensorKind.GAMMA).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(0.5f, 2f));
            // b: [3 out, 2 in]; column 0 = (1,1,1), column 1 = (0,2,0)
            p.tensor(LayerId.of("b"), TensorKind.WEIGHT).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(
                    new float[] {1, 0, 1, 2, 1, 0}).reshape(3, 2, 1, 1));
            GroupScores s = new L2GroupSaliency().scores(groups, p);
            // Group "a" members: a:OUT (fan 1), bn (gamma^2), b:IN (fan 3).
            double c0 = (4 / 1.0 + 0.25 + 3 / Math.sqrt(3)) / 3;
            double c1 = (9 / 1.0 + 4.0 + 4 / Math.sqrt(3)) / 3;
            assertArrayEquals(new double[] {c0, c1}, s.of("a"), 1e-6);
            // Group "b" members: b:OUT (fan 2), fc:IN (fan 10); fc weights are zero here.
            assertArrayEquals(new double[] {1 / Math.sqrt(2) / 2, 5 / Math.sqrt(2) / 2, 1 / Math.sqrt(2) / 2}, s.of("b"), 1e-6);
        }
    }

    @Test
    void costAwareFactorFavoursPruningGroupsThatSaveMoreFlops() {
        NetworkGraph g = graph();
        List<ChannelGroup> groups = ChannelGroups.derive(g);
        CostAwareSaliency cost = new CostAwareSaliency(new L2GroupSaliency(), g, x -> CostModel.of(x).flops());
        Map<String, Double> f = cost.factors(groups);
        double sum = 0;
        for (double v : f.values()) {
            sum += 1 - v;
        }
        assertEquals(1.0, sum, 1e-9, "1 - factor is a softmax over groups");
        for (double v : f.values()) {
            assertTrue(v > 0 && v < 1);
        }
    }
}
