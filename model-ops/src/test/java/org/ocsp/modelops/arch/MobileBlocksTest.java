package org.ocsp.modelops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Shape;

class MobileBlocksTest {

    private static LayerSpec.Conv2d conv(NetworkGraph g, String id) {
        return (LayerSpec.Conv2d) g.node(LayerId.of(id)).spec();
    }

    @Test
    void tinyHasConvThenDepthwiseThenPointwise() {
        NetworkGraph g = MobileBlocks.tiny();
        assertFalse(conv(g, "features.0").depthwise());
        assertEquals(new LayerSpec.Conv2d(8, 8, 3, 1, 1, 8, false), conv(g, "features.3"));
        assertTrue(conv(g, "features.3").depthwise());
        assertEquals(new LayerSpec.Conv2d(8, 16, 1, 1, 0, 1, false), conv(g, "features.6"));
        assertEquals(Shape.spatial(16, 16, 16), g.shape(LayerId.of("features.8")));
        assertEquals(Shape.features(10), g.shape(g.output().id()));
    }

    @Test
    void tinyResidualAddsTheProjectionToTheStem() {
        NetworkGraph g = MobileBlocks.tinyResidual();
        assertTrue(conv(g, "block.conv.3").depthwise());
        assertEquals(List.of(LayerId.of("block.conv.7"), LayerId.of("stem.2")),
                g.node(LayerId.of("block.add")).inputs());
        assertEquals(Shape.spatial(8, 16, 16), g.shape(LayerId.of("block.add")));
    }
}
