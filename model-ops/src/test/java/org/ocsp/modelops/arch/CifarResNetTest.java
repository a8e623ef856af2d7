package org.ocsp.modelops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Shape;

class CifarResNetTest {
    private final NetworkGraph r56 = CifarResNet.resnet56(10);

    private LayerSpec spec(NetworkGraph g, String id) {
        return g.node(LayerId.of(id)).spec();
    }

    @Test
    void stemAndHeadUseTheReferenceModuleNames() {
        assertEquals(new LayerSpec.Conv2d(3, 16, 3, 1, 1, 1, false), spec(r56, "conv1"));
        assertEquals(new LayerSpec.BatchNorm(16), spec(r56, "bn1"));
        assertEquals(new LayerSpec.Relu(), spec(r56, "relu"));
        assertEquals(new LayerSpec.AvgPool(8, 8), spec(r56, "avgpool"));
        assertEquals(new LayerSpec.Flatten(), spec(r56, "flatten"));
        assertEquals(new LayerSpec.Linear(64, 10, true), spec(r56, "fc"));
        assertEquals(LayerId.of("fc"), r56.output().id());
    }

    @Test
    void blocksHaveConvBnReluConvBnAddFunctionalRelu() {
        assertEquals(new LayerSpec.Conv2d(16, 16, 3, 1, 1, 1, false), spec(r56, "layer1.0.conv1"));
        assertEquals(new LayerSpec.Relu(), spec(r56, "layer1.0.relu"));
        assertEquals(new LayerSpec.Conv2d(16, 16, 3, 1, 1, 1, false), spec(r56, "layer1.0.conv2"));
        assertEquals(List.of(LayerId.of("layer1.0.bn2"), LayerId.of("relu")),
                r56.node(LayerId.of("layer1.0.add")).inputs());
        assertEquals(List.of(LayerId.of("layer1.0.add")), r56.node(LayerId.of("layer1.0.F.relu")).inputs());
        assertTrue(TorchNames.isFunctional(LayerId.of("layer1.0.F.relu")));
        assertFalse(TorchNames.isFunctional(LayerId.of("layer1.0.relu")));
        assertEquals(List.of(LayerId.of("layer1.1.bn2"), LayerId.of("layer1.0.F.relu")),
                r56.node(LayerId.of("layer1.1.add")).inputs());
    }

    @Test
    void projectionShortcutOnlyWhereTheShapeChanges() {
        assertFalse(r56.contains(LayerId.of("layer1.0.downsample.0")));
        assertFalse(r56.contains(LayerId.of("layer2.1.downsample.0")));
        assertEquals(new LayerSpec.Conv2d(16, 32, 1, 2, 0, 1, false), spec(r56, "layer2.0.downsample.0"));
        assertEquals(new LayerSpec.BatchNorm(32), spec(r56, "layer2.0.downsample.1"));
        assertEquals(new LayerSpec.Conv2d(32, 64, 1, 2, 0, 1, false), spec(r56, "layer3.0.downsample.0"));
        assertEquals(new LayerSpec.Conv2d(16, 32, 3, 2, 1, 1, false), spec(r56, "layer2.0.conv1"));
        assertEquals(List.of(LayerId.of("layer1.8.F.relu")),
                r56.node(LayerId.of("layer2.0.downsample.0")).inputs());
        assertEquals(List.of(LayerId.of("layer2.0.bn2"), LayerId.of("layer2.0.downsample.1")),
                r56.node(LayerId.of("layer2.0.add")).inputs());
    }

    @Test
    void stagesHalveTheResolutionAndDoubleTheWidth() {
        assertEquals(Shape.spatial(16, 32, 32), r56.shape(LayerId.of("layer1.8.F.relu")));
        assertEquals(Shape.spatial(32, 16, 16), r56.shape(LayerId.of("layer2.8.F.relu")));
        assertEquals(Shape.spatial(64, 8, 8), r56.shape(LayerId.of("layer3.8.F.relu")));
        assertEquals(Shape.spatial(64, 1, 1), r56.shape(LayerId.of("avgpool")));
        assertEquals(Shape.features(10), r56.shape(r56.output().id()));
    }

    @ParameterizedTest
    @CsvSource({"20, 3, 21", "32, 5, 33", "56, 9, 57", "110, 18, 111"})
    void depthGivesBlocksPerStageAndConvCount(int depth, int blocks, int convs) {
        NetworkGraph g = CifarResNet.resnet(depth, 10);
        assertTrue(g.contains(LayerId.of("layer3." + (blocks - 1) + ".conv2")));
        assertFalse(g.contains(LayerId.of("layer3." + blocks + ".conv1")));
        long convCount = g.nodes().stream().filter(n -> n.spec() instanceof LayerSpec.Conv2d).count();
        assertEquals(convs, convCount);
        assertEquals("resnet" + depth, g.name());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 21, 57})
    void depthNotSixNPlusTwoIsRejected(int depth) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CifarResNet.resnet(depth, 10));
        assertEquals("Invalid value " + depth
                + " for CIFAR ResNet depth: must be 6n+2 with n >= 1 (20, 32, 44, 56, 110)",
                e.getMessage());
    }

    @Test
    void otherInputSizesFallBackToGlobalAveragePool() {
        NetworkGraph g = CifarResNet.resnet(20, 10, new LayerSpec.Input(1, 28, 28));
        assertEquals(new LayerSpec.GlobalAvgPool(), spec(g, "avgpool"));
        assertEquals(new LayerSpec.Conv2d(1, 16, 3, 1, 1, 1, false), spec(g, "conv1"));
        assertEquals(Shape.features(10), g.shape(g.output().id()));
    }
}
