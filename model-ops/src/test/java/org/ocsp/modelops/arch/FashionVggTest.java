package org.ocsp.modelops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Shape;

class FashionVggTest {
    private final NetworkGraph g = FashionVgg.build(10);

    @Test
    void convBnReluTriplesWithTwoPoolsThenGlobalPoolAndLinear() {
        List<String> types = g.nodes().stream().map(n -> n.spec().type()).collect(Collectors.toList());
        assertEquals(List.of("input",
                "conv2d", "batchnorm", "relu", "conv2d", "batchnorm", "relu", "maxpool",
                "conv2d", "batchnorm", "relu", "conv2d", "batchnorm", "relu", "maxpool",
                "conv2d", "batchnorm", "relu", "gap", "flatten", "linear"), types);
        assertEquals(new LayerSpec.Conv2d(1, 32, 3, 1, 1, 1, false), g.node(LayerId.of("features.0")).spec());
        assertEquals(new LayerSpec.Conv2d(32, 32, 3, 1, 1, 1, false), g.node(LayerId.of("features.3")).spec());
        assertEquals(new LayerSpec.Conv2d(32, 64, 3, 1, 1, 1, false), g.node(LayerId.of("features.7")).spec());
        assertEquals(new LayerSpec.Conv2d(64, 128, 3, 1, 1, 1, false), g.node(LayerId.of("features.14")).spec());
        assertEquals(new LayerSpec.Linear(128, 10, true), g.node(LayerId.of("classifier")).spec());
    }

    @Test
    void shapesAt28By28() {
        assertEquals(Shape.spatial(32, 14, 14), g.shape(LayerId.of("features.6")));
        assertEquals(Shape.spatial(64, 7, 7), g.shape(LayerId.of("features.13")));
        assertEquals(Shape.spatial(128, 7, 7), g.shape(LayerId.of("features.16")));
        assertEquals(Shape.features(10), g.shape(g.output().id()));
    }
}
