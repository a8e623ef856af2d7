package org.ocsp.modelops.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.arch.CifarResNet;
import org.ocsp.modelops.arch.ImageNetResNet;
import org.ocsp.modelops.arch.MobileBlocks;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

class CostModelTest {

    /** conv(bias) - BN - F.relu - depthwise stride 2 - maxpool(3, 2, pad 1) - flatten 8x2x2 - linear (no bias). */
    private static NetworkGraph handGraph() {
        return NetworkGraph.builder("hand", new LayerSpec.Input(2, 8, 8))
                .add("c1", new LayerSpec.Conv2d(2, 4, 3, 1, 1, 1, true))
                .add("bn", new LayerSpec.BatchNorm(4))
                .add("F.relu", new LayerSpec.Relu())
                .add("dw", new LayerSpec.Conv2d(4, 8, 3, 2, 1, 4, false))
                .add("mp", new LayerSpec.MaxPool(3, 2, 1))
                .add("fl", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(32, 5, false))
                .build();
    }

    @Test
    void resnet56MatchesTheReferenceCheckValue() {
        CostModel m = CostModel.of(CifarResNet.resnet56(10));
        assertEquals(127.12e6, m.flops(), 0.005e6);
        assertEquals(127_115_914L, m.flops());
    }

    @Test
    void resnet18MatchesTheReferenceCheckValue() {
        CostModel m = CostModel.of(ImageNetResNet.resnet18(1000));
        assertEquals(1822.18e6, m.flops(), 0.005e6);
        assertEquals(1_822_177_768L, m.flops());
        assertEquals(11.6895e6, m.params(), 0.00005e6);
    }

    @Test
    void everyOpConventionAlsoCountsTheFunctionalRelus() {
        NetworkGraph r56 = CifarResNet.resnet56(10);
        // 9 blocks per stage; F.relu after each residual add: 16x32x32, 32x16x16, 64x8x8 elements
        long functional = 9L * (16 * 32 * 32 + 32 * 16 * 16 + 64 * 8 * 8);
        assertEquals(127_115_914L + functional, CostModel.of(r56, FlopsConvention.EVERY_OP).flops());
        NetworkGraph r18 = ImageNetResNet.resnet18(1000);
        assertEquals(CostModel.of(r18).flops(), CostModel.of(r18, FlopsConvention.EVERY_OP).flops());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "vgg16-cifar, 10, 399307786, 14728266",
        "resnet20, 10, 41321098, 272474",
        "resnet32, 10, 69919370, 466906",
        "resnet56, 10, 127115914, 855770",
        "resnet110, 10, 255808138, 1730714",
        "resnet18, 1000, 1822177768, 11689512",
        "resnet50, 1000, 4121925096, 25557032",
        "fashion-vgg, 10, 22191626, 140458"})
    void flopsAndParamsOfTheRegisteredArchitectures(String name, int classes, long flops, long params) {
        CostModel m = CostModel.of(Architectures.byName(name, classes));
        assertEquals(flops, m.flops());
        assertEquals(params, m.params());
        assertEquals(new Cost(flops, params), m.cost());
    }

    @Test
    void wellKnownParameterCounts() {
        assertEquals(25.56e6, CostModel.of(ImageNetResNet.resnet50(1000)).params(), 0.005e6);
        assertEquals(0.86e6, CostModel.of(CifarResNet.resnet56(10)).params(), 0.005e6);
        assertEquals(4.12e9, CostModel.of(ImageNetResNet.resnet50(1000)).flops(), 0.005e9);
    }

    @Test
    void handComputedGraph() {
        CostModel m = CostModel.of(handGraph());
        List<LayerCost> b = m.breakdown();
        // c1: 9*2*4*64 + bias 4*64; BN 2*4*64; F.relu 0 (functional); dw: 9*4*(8/4)*16;
        // maxpool: input 8*4*4; flatten 0; fc 32*5
        assertEquals(List.of(
                new LayerCost(LayerId.of("input"), "input", 0, 0),
                new LayerCost(LayerId.of("c1"), "conv2d", 4864, 76),
                new LayerCost(LayerId.of("bn"), "batchnorm", 512, 8),
                new LayerCost(LayerId.of("F.relu"), "relu", 0, 0),
                new LayerCost(LayerId.of("dw"), "conv2d", 1152, 72),
                new LayerCost(LayerId.of("mp"), "maxpool", 128, 0),
                new LayerCost(LayerId.of("fl"), "flatten", 0, 0),
                new LayerCost(LayerId.of("fc"), "linear", 160, 160)), b);
        assertEquals(6816, m.flops());
        assertEquals(316, m.params());
        assertEquals(6816 + 256, CostModel.of(handGraph(), FlopsConvention.EVERY_OP).flops());
    }

    @Test
    void breakdownIsInGraphOrderAndSumsToTheTotal() {
        NetworkGraph g = CifarResNet.resnet56(10);
        CostModel m = CostModel.of(g);
        List<LayerCost> b = m.breakdown();
        assertEquals(g.nodes().size(), b.size());
        for (int i = 0; i < b.size(); i++) {
            assertEquals(g.nodes().get(i).id(), b.get(i).id());
        }
        assertEquals(m.flops(), b.stream().mapToLong(LayerCost::flops).sum());
        assertEquals(m.params(), b.stream().mapToLong(LayerCost::params).sum());
        Map<String, LayerCost> byId = new HashMap<>();
        b.forEach(c -> byId.put(c.id().value(), c));
        assertEquals(new LayerCost(LayerId.of("conv1"), "conv2d", 442_368, 432), byId.get("conv1"));
        assertEquals(16 * 32 * 32, byId.get("layer1.0.relu").flops());
        assertEquals(0, byId.get("layer1.0.F.relu").flops());
        assertEquals(0, byId.get("layer1.0.add").flops());
        assertEquals(64 * 8 * 8, byId.get("avgpool").flops());
        assertEquals(650, byId.get("fc").flops());
        assertEquals(16 * 32, byId.get("layer2.0.downsample.0").params());
        assertEquals(2 * 32, byId.get("layer2.0.downsample.1").params());
    }

    @Test
    void denseWidthsGiveTheDenseCost() {
        CostModel m = CostModel.of(ImageNetResNet.resnet50(1000));
        int[] w = m.denseWidths();
        assertEquals(m.flops(), m.flops(w));
        assertEquals(m.params(), m.params(w));
        assertEquals(m.breakdown(), m.breakdown(w));
        assertArrayEquals(m.denseWidths(), w);
    }

    @Test
    void narrowingOneConvChangesItsOwnAndItsConsumersCost() {
        CostModel m = CostModel.of(CifarResNet.resnet56(10));
        int[] w = m.denseWidths();
        w[m.index(LayerId.of("layer1.0.conv1"))] = 8;
        // conv1 and conv2 each lose half their MACs (9*16*8*1024), bn1 loses 2*8*1024, relu 8*1024
        long saved = 2L * 9 * 16 * 8 * 1024 + 2 * 8 * 1024 + 8 * 1024;
        assertEquals(m.flops() - saved, m.flops(w));
        assertEquals(m.params() - 2L * 9 * 16 * 8 - 2 * 8, m.params(w));
        assertEquals(rebuilt(m, w), m.cost(w));
    }

    @Test
    void residualStageOfResNet56AgreesWithTheRebuiltGraph() {
        CostModel m = CostModel.of(CifarResNet.resnet56(10));
        int[] w = m.denseWidths();
        w[m.index(LayerId.of("conv1"))] = 10;
        for (int i = 0; i < 9; i++) {
            w[m.index(LayerId.of("layer1." + i + ".conv2"))] = 10;
        }
        w[m.index(LayerId.of("layer2.0.conv1"))] = 20;
        w[m.index(LayerId.of("layer3.4.conv1"))] = 17;
        assertEquals(rebuilt(m, w), m.cost(w));
    }

    @Test
    void depthwiseConvFollowsItsInputWidth() {
        CostModel m = CostModel.of(MobileBlocks.tiny());
        int[] w = m.denseWidths();
        int dw = m.index(LayerId.of("features.3"));
        assertFalse(m.isWidthSource(dw));
        w[dw] = 1;   // ignored: not a width source
        w[m.index(LayerId.of("features.0"))] = 4;
        w[m.index(LayerId.of("features.6"))] = 12;
        Cost c = m.cost(w);
        assertEquals(rebuilt(m, w), c);
        assertEquals(9 * 4 * 16 * 16, m.breakdown(w).get(dw).flops());
        assertEquals(9 * 4, m.breakdown(w).get(dw).params());
    }

    @Test
    void depthwiseInsideAResidualAgreesWithTheRebuiltGraph() {
        CostModel m = CostModel.of(MobileBlocks.tinyResidual());
        int[] w = m.denseWidths();
        w[m.index(LayerId.of("stem.0"))] = 5;
        w[m.index(LayerId.of("block.conv.6"))] = 5;
        w[m.index(LayerId.of("block.conv.0"))] = 6;
        assertEquals(rebuilt(m, w), m.cost(w));
    }

    @Test
    void flattenMapsOneChannelToItsSpatialColumns() {
        NetworkGraph g = NetworkGraph.builder("flat", new LayerSpec.Input(3, 8, 8))
                .add("conv", new LayerSpec.Conv2d(3, 16, 3, 2, 1, 1, false))
                .add("flatten", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(256, 10, true))
                .build();
        CostModel m = CostModel.of(g);
        int[] w = m.denseWidths();
        assertEquals(256, w[m.index(LayerId.of("flatten"))]);
        w[m.index(LayerId.of("conv"))] = 6;
        assertEquals(9 * 3 * 6 * 16 + 96 * 10 + 10, m.flops(w));
        assertEquals(rebuilt(m, w), m.cost(w));
    }

    @Test
    void widthSourcesAreInputConvsAndLinears() {
        CostModel m = CostModel.of(MobileBlocks.tiny());
        assertTrue(m.isWidthSource(m.index(LayerId.of("input"))));
        assertTrue(m.isWidthSource(m.index(LayerId.of("features.0"))));
        assertFalse(m.isWidthSource(m.index(LayerId.of("features.1"))));
        assertFalse(m.isWidthSource(m.index(LayerId.of("features.3"))));
        assertFalse(m.isWidthSource(m.index(LayerId.of("flatten"))));
        assertTrue(m.isWidthSource(m.index(LayerId.of("classifier"))));
        assertEquals(LayerId.of("classifier"), m.id(m.size() - 1));
    }

    @Test
    void widthsOfTheWrongLengthAreRejected() {
        CostModel m = CostModel.of(MobileBlocks.tiny());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.flops(new int[3]));
        assertEquals("Invalid widths of length 3 for graph mobile-tiny: must have one entry per node (13),"
                + " start from denseWidths()", e.getMessage());
    }

    @Test
    void unknownLayerIsRejected() {
        CostModel m = CostModel.of(MobileBlocks.tiny());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.index(LayerId.of("nope")));
        assertEquals("Unknown layer 'nope' in graph mobile-tiny", e.getMessage());
    }

    /**
     * Oracle: rebuild the graph with the narrowed widths (the graph's builder re-validates every
     * width) and count the rebuilt dense graph.
     */
    private static Cost rebuilt(CostModel m, int[] widths) {
        NetworkGraph g = m.graph();
        Map<LayerId, Integer> eff = new HashMap<>();
        NetworkGraph narrow = g.withSpecs(n -> {
            LayerSpec s = n.spec();
            int in = n.inputs().isEmpty() ? 0 : eff.get(n.inputs().get(0));
            int i = m.index(n.id());
            LayerSpec r = s;
            int out = in;
            if (s instanceof LayerSpec.Input) {
                out = ((LayerSpec.Input) s).channels();
            } else if (s instanceof LayerSpec.Conv2d) {
                LayerSpec.Conv2d c = (LayerSpec.Conv2d) s;
                out = c.depthwise() ? in * (c.outChannels() / c.inChannels()) : widths[i];
                r = c.withChannels(in, out);
            } else if (s instanceof LayerSpec.BatchNorm) {
                r = new LayerSpec.BatchNorm(in);
            } else if (s instanceof LayerSpec.Flatten) {
                var shape = g.shape(n.inputs().get(0));
                out = in * shape.height() * shape.width();
            } else if (s instanceof LayerSpec.Linear) {
                LayerSpec.Linear l = (LayerSpec.Linear) s;
                out = widths[i];
                r = new LayerSpec.Linear(in, out, l.bias());
            }
            eff.put(n.id(), out);
            return new Node(n.id(), r, n.inputs());
        });
        return CostModel.of(narrow, m.convention()).cost();
    }
}
