package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.testing.SmallGraphs;

class SparsityRegularizerTest {
    @Test
    void shrinksOnlyProducerRowsConsumerColumnsAndGammaOfRemovedChannels() {
        var graph = SmallGraphs.vggWithFlatten();
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        try (ParameterStore p = ParameterStore.allocate(graph, DataType.FLOAT);
             SparsityRegularizer reg = new SparsityRegularizer(p)) {
            p.flatParams().assign(1.0);
            // c1 keeps 0..4 (drops 5); c2 keeps all but 0; fc1 keeps all.
            SubnetworkMask.Builder mb = SubnetworkMask.builder()
                    .put("c1", new int[] {0, 1, 2, 3, 4})
                    .put("c2", new int[] {1, 2, 3, 4, 5, 6, 7})
                    .put("fc1", java.util.stream.IntStream.range(0, 12).toArray());
            reg.target(groups, mb.build());
            reg.shrink(0.5, 0.2); // factor 1 - 0.1 = 0.9
            INDArray c1 = p.tensor(LayerId.of("c1"), TensorKind.WEIGHT);
            assertEquals(0.9f, c1.getFloat(5, 0, 0, 0), 1e-6f);
            assertEquals(1.0f, c1.getFloat(4, 0, 0, 0), 0f);
            assertEquals(0.9f, p.tensor(LayerId.of("b1"), TensorKind.GAMMA).getFloat(5), 1e-6f);
            assertEquals(1.0f, p.tensor(LayerId.of("b1"), TensorKind.BETA).getFloat(5), 0f);
            INDArray c2 = p.tensor(LayerId.of("c2"), TensorKind.WEIGHT);
            assertEquals(0.9f, c2.getFloat(3, 5, 1, 1), 1e-6f); // input column 5 of c2 (c1's channel 5)
            assertEquals(0.9f, c2.getFloat(0, 2, 0, 0), 1e-6f); // output row 0 of c2
            assertEquals(1.0f, c2.getFloat(3, 2, 1, 1), 0f);
            assertEquals(1.0f, p.tensor(LayerId.of("c2"), TensorKind.BIAS).getFloat(0), 0f); // biases untouched
            INDArray fc1 = p.tensor(LayerId.of("fc1"), TensorKind.WEIGHT);
            for (int col = 0; col < 4; col++) {
                assertEquals(0.9f, fc1.getFloat(7, col), 1e-6f); // c2's channel 0 owns columns 0..3
            }
            assertEquals(1.0f, fc1.getFloat(7, 4), 0f);
            long expected = 27 + 1 + 6 * 9 + 9 * 8 + 1 + 4 * 12;
            assertEquals(expected, reg.selectedCount());
        }
    }
}
