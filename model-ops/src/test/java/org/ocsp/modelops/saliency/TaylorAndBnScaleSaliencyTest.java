package org.ocsp.modelops.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;

class TaylorAndBnScaleSaliencyTest {
    private static NetworkGraph graph(boolean withBn) {
        NetworkGraph.Builder b = NetworkGraph.builder("tiny", new LayerSpec.Input(1, 1, 1))
                .add("a", new LayerSpec.Conv2d(1, 2, 1, 1, 0, 1, false));
        if (withBn) {
            b.add("bn", new LayerSpec.BatchNorm(2));
        }
        return b.add("b", new LayerSpec.Conv2d(2, 1, 1, 1, 0, 1, false))
                .add("flat", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(1, 10, false))
                .build();
    }

    @Test
    void taylorSumsAbsoluteWeightTimesGradientOverTheGroupsSlices() {
        NetworkGraph g = graph(true);
        List<ChannelGroup> groups = ChannelGroups.derive(g).subList(0, 1);
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            p.tensor(LayerId.of("a"), TensorKind.WEIGHT).assign(Nd4j.createFromArray(2f, -3f).reshape(2, 1, 1, 1));
            p.gradient(LayerId.of("a"), TensorKind.WEIGHT).assign(Nd4j.createFromArray(0.5f, 0.5f).reshape(2, 1, 1, 1));
            p.tensor(LayerId.of("bn"), TensorKind.GAMMA).assign(Nd4j.createFromArray(1f, 4f));
            p.gradient(LayerId.of("bn"), TensorKind.GAMMA).assign(Nd4j.createFromArray(-1f, 0.25f));
            p.tensor(LayerId.of("b"), TensorKind.WEIGHT).assign(Nd4j.createFromArray(1f, 1f).reshape(1, 2, 1, 1));
            p.gradient(LayerId.of("b"), TensorKind.WEIGHT).assign(Nd4j.createFromArray(0f, -2f).reshape(1, 2, 1, 1));
            double[] s = new TaylorSaliency().scores(groups, p).of("a");
            assertArrayEquals(new double[] {1 + 1 + 0, 1.5 + 1 + 2}, s, 1e-6);
        }
    }

    @Test
    void bnScaleIsTheMeanAbsoluteGammaAndFallsBackToL2WithoutBatchNorm() {
        NetworkGraph g = graph(true);
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            p.tensor(LayerId.of("bn"), TensorKind.GAMMA).assign(Nd4j.createFromArray(-0.5f, 2f));
            List<ChannelGroup> groups = ChannelGroups.derive(g).subList(0, 1);
            assertArrayEquals(new double[] {0.5, 2}, new BnScaleSaliency().scores(groups, p).of("a"), 1e-6);
        }
        NetworkGraph plain = graph(false);
        try (ParameterStore p = ParameterStore.allocate(plain, DataType.FLOAT)) {
            p.tensor(LayerId.of("a"), TensorKind.WEIGHT).assign(Nd4j.createFromArray(1f, 2f).reshape(2, 1, 1, 1));
            List<ChannelGroup> groups = ChannelGroups.derive(plain).subList(0, 1);
            assertArrayEquals(new L2GroupSaliency().scores(groups, p).of("a"), new BnScaleSaliency().scores(groups, p).of("a"), 0);
        }
    }
}
