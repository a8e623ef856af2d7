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

class ImageNetResNetTest {
    private final NetworkGraph r18 = ImageNetResNet.resnet18(1000);
    private final NetworkGraph r50 = ImageNetResNet.resnet50(1000);

    private static LayerSpec spec(NetworkGraph g, String id) {
        return g.node(LayerId.of(id)).spec();
    }

    private static Shape shape(NetworkGraph g, String id) {
        return g.shape(LayerId.of(id));
    }

    @Test
    void stemIsTorchvisions() {
        for (NetworkGraph g : List.of(r18, r50)) {
            assertEquals(new LayerSpec.Conv2d(3, 64, 7, 2, 3, 1, false), spec(g, "conv1"));
            assertEquals(new LayerSpec.MaxPool(3, 2, 1), spec(g, "maxpool"));
            assertEquals(Shape.spatial(64, 112, 112), shape(g, "relu"));
            assertEquals(Shape.spatial(64, 56, 56), shape(g, "maxpool"));
            assertEquals(new LayerSpec.GlobalAvgPool(), spec(g, "avgpool"));
            assertEquals(LayerId.of("fc"), g.output().id());
        }
    }

    @Test
    void resnet18BasicBlocksReuseTheirReluModule() {
        assertEquals(new LayerSpec.Conv2d(64, 64, 3, 1, 1, 1, false), spec(r18, "layer1.0.conv1"));
        assertFalse(r18.contains(LayerId.of("layer1.0.downsample.0")));
        assertEquals(new LayerSpec.Conv2d(64, 128, 3, 2, 1, 1, false), spec(r18, "layer2.0.conv1"));
        assertEquals(new LayerSpec.Conv2d(64, 128, 1, 2, 0, 1, false), spec(r18, "layer2.0.downsample.0"));
        assertEquals(new LayerSpec.BatchNorm(128), spec(r18, "layer2.0.downsample.1"));
        assertEquals(List.of(LayerId.of("layer2.0.bn2"), LayerId.of("layer2.0.downsample.1")),
                r18.node(LayerId.of("layer2.0.add")).inputs());
        assertEquals(new LayerSpec.Relu(), spec(r18, "layer2.0.relu#2"));
        assertFalse(TorchNames.isFunctional(LayerId.of("layer2.0.relu#2")));
        assertEquals(Shape.spatial(512, 7, 7), shape(r18, "layer4.1.relu#2"));
        assertEquals(new LayerSpec.Linear(512, 1000, true), spec(r18, "fc"));
        assertFalse(r18.contains(LayerId.of("layer4.2.conv1")));
    }

    @Test
    void resnet50BottlenecksStrideInTheThreeByThree() {
        assertEquals(new LayerSpec.Conv2d(64, 64, 1, 1, 0, 1, false), spec(r50, "layer1.0.conv1"));
        assertEquals(new LayerSpec.Conv2d(64, 256, 1, 1, 0, 1, false), spec(r50, "layer1.0.conv3"));
        assertEquals(new LayerSpec.Conv2d(64, 256, 1, 1, 0, 1, false), spec(r50, "layer1.0.downsample.0"));
        assertEquals(new LayerSpec.Conv2d(256, 128, 1, 1, 0, 1, false), spec(r50, "layer2.0.conv1"));
        assertEquals(new LayerSpec.Conv2d(128, 128, 3, 2, 1, 1, false), spec(r50, "layer2.0.conv2"));
        assertEquals(new LayerSpec.Conv2d(256, 512, 1, 2, 0, 1, false), spec(r50, "layer2.0.downsample.0"));
        assertTrue(r50.contains(LayerId.of("layer1.0.relu#3")));
        assertFalse(r50.contains(LayerId.of("layer1.1.downsample.0")));
        assertEquals(Shape.spatial(2048, 7, 7), shape(r50, "layer4.2.relu#3"));
        assertEquals(new LayerSpec.Linear(2048, 1000, true), spec(r50, "fc"));
        assertTrue(r50.contains(LayerId.of("layer3.5.conv3")));
        assertFalse(r50.contains(LayerId.of("layer3.6.conv1")));
    }
}
