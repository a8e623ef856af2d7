package org.ocsp.modelops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.graph.Shape;

class VggTest {
    private final NetworkGraph vgg16 = Vgg.cifar16(10);

    private static LayerSpec spec(NetworkGraph g, String id) {
        return g.node(LayerId.of(id)).spec();
    }

    @Test
    void cifar16FollowsTheReferenceBlockLayout() {
        List<String> ids = vgg16.nodes().stream().map(n -> n.id().value()).collect(Collectors.toList());
        assertEquals(List.of("input",
                "block0.0", "block0.1", "block0.2", "block0.3", "block0.4", "F.relu0", "pool0",
                "block1.0", "block1.1", "block1.2", "block1.3", "block1.4", "F.relu1", "pool1",
                "block2.0", "block2.1", "block2.2", "block2.3", "block2.4", "block2.5", "block2.6", "block2.7",
                "F.relu2", "pool2",
                "block3.0", "block3.1", "block3.2", "block3.3", "block3.4", "block3.5", "block3.6", "block3.7",
                "F.relu3",
                "block4.0", "block4.1", "block4.2", "block4.3", "block4.4", "block4.5", "block4.6", "block4.7",
                "F.relu4", "pool4", "flatten", "classifier"), ids);
    }

    @Test
    void cifar16ConvsHaveBiasAndBatchNorm() {
        assertEquals(new LayerSpec.Conv2d(3, 64, 3, 1, 1, 1, true), spec(vgg16, "block0.0"));
        assertEquals(new LayerSpec.BatchNorm(64), spec(vgg16, "block0.1"));
        assertEquals(new LayerSpec.Relu(), spec(vgg16, "block0.2"));
        assertEquals(new LayerSpec.Conv2d(256, 512, 3, 1, 1, 1, true), spec(vgg16, "block3.0"));
        assertEquals(new LayerSpec.MaxPool(2, 2, 0), spec(vgg16, "pool2"));
        assertEquals(new LayerSpec.GlobalAvgPool(), spec(vgg16, "pool4"));
        assertEquals(new LayerSpec.Linear(512, 10, true), spec(vgg16, "classifier"));
        List<Node> convs = vgg16.nodes().stream().filter(n -> n.spec() instanceof LayerSpec.Conv2d)
                .collect(Collectors.toList());
        assertEquals(13, convs.size());
        assertTrue(TorchNames.isFunctional(LayerId.of("F.relu3")));
    }

    @Test
    void cifar16SkipsPool3At32PixelsAndAppliesItAt64() {
        assertFalse(vgg16.contains(LayerId.of("pool3")));
        assertEquals(Shape.spatial(512, 4, 4), vgg16.shape(LayerId.of("F.relu3")));
        assertEquals(Shape.spatial(512, 4, 4), vgg16.shape(LayerId.of("F.relu4")));
        NetworkGraph at64 = Vgg.cifar16(100, new LayerSpec.Input(3, 64, 64));
        assertEquals(new LayerSpec.MaxPool(2, 2, 0), spec(at64, "pool3"));
        assertEquals(Shape.spatial(512, 4, 4), at64.shape(LayerId.of("F.relu4")));
        assertEquals(Shape.features(100), at64.shape(at64.output().id()));
    }

    @ParameterizedTest
    @CsvSource({"11, 8", "13, 10", "16, 13", "19, 16"})
    void cifarDepthsHaveTheReferenceConvCount(int depth, int convs) {
        NetworkGraph g = Vgg.cifar(depth, 10, new LayerSpec.Input(3, 32, 32));
        assertEquals(convs, g.nodes().stream().filter(n -> n.spec() instanceof LayerSpec.Conv2d).count());
        assertEquals("vgg" + depth + "-cifar", g.name());
    }

    @Test
    void unsupportedDepthIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vgg.cifar(17, 10, new LayerSpec.Input(3, 32, 32)));
        assertEquals("Invalid value 17 for VGG depth: must be one of 11, 13, 16, 19", e.getMessage());
    }

    @Test
    void builderWithoutBatchNormAlternatesConvAndRelu() {
        NetworkGraph g = Vgg.builder().setCfg("8, 8 M 16").setNumClasses(3).optBatchNorm(false).optConvBias(false)
                .optInput(new LayerSpec.Input(1, 28, 28)).build();
        List<String> ids = g.nodes().stream().map(n -> n.id().value()).collect(Collectors.toList());
        assertEquals(List.of("input", "block0.0", "block0.1", "block0.2", "F.relu0", "pool0", "block1.0", "F.relu1",
                "pool1", "flatten", "classifier"), ids);
        assertEquals(new LayerSpec.Conv2d(8, 8, 3, 1, 1, 1, false), spec(g, "block0.2"));
        assertEquals(Shape.spatial(16, 14, 14), g.shape(LayerId.of("F.relu1")));
        assertEquals(new LayerSpec.Linear(16, 3, true), spec(g, "classifier"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "'';no conv widths",
        "M 64;'M' must follow at least one conv width",
        "64 | | 64;'|' must follow at least one conv width",
        "64 M;must end with a width",
        "64 x 32;token 'x' is neither a positive width, 'M' nor '|'",
        "64 0;token '0' is neither a positive width, 'M' nor '|'"})
    void badCfgIsRejectedWithTheReason(String cfg, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vgg.builder().setCfg(cfg).setNumClasses(10).build());
        assertTrue(e.getMessage().startsWith("Invalid VGG 'vgg': Invalid value '" + cfg + "' for configuration cfg: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void builderReportsEveryMissingSettingAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vgg.builder().build());
        assertEquals("Invalid VGG 'vgg': Missing configuration cfg: call setCfg(\"64 64 M 128 ...\"); "
                + "Missing configuration numClasses: call setNumClasses(n)", e.getMessage());
    }
}
