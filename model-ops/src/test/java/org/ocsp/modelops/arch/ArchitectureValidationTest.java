package org.ocsp.modelops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/** The graph's validating builder rejects widths that do not match, also in the architectures here. */
class ArchitectureValidationTest {

    private static NetworkGraph narrow(NetworkGraph g, String id, int out) {
        return g.withSpecs(n -> {
            if (!n.id().value().equals(id)) {
                return n;
            }
            LayerSpec.Conv2d c = (LayerSpec.Conv2d) n.spec();
            return new Node(n.id(), c.withChannels(c.inChannels(), out), n.inputs());
        });
    }

    @Test
    void producerNarrowedWithoutItsBatchNormIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> narrow(Vgg.cifar16(10), "block0.0", 32));
        assertEquals("Layer 'block0.1' declares channels = 64 but its input has 32 channels", e.getMessage());
    }

    @Test
    void residualBranchesOfDifferentWidthAreRejected() {
        NetworkGraph r20 = CifarResNet.resnet20(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r20.withSpecs(n -> {
            String id = n.id().value();
            if (id.equals("layer1.0.conv2")) {
                return new Node(n.id(), new LayerSpec.Conv2d(16, 8, 3, 1, 1, 1, false), n.inputs());
            } else if (id.equals("layer1.0.bn2")) {
                return new Node(n.id(), new LayerSpec.BatchNorm(8), n.inputs());
            }
            return n;
        }));
        assertTrue(e.getMessage().startsWith("Layer 'layer1.0.add' (add) inputs differ: "), e.getMessage());
    }

    @Test
    void mismatchedWidthInAHandBuiltGraphIsRejected() {
        NetworkGraph.Builder b = NetworkGraph.builder("bad", new LayerSpec.Input(3, 32, 32))
                .add("conv1", new LayerSpec.Conv2d(3, 16, 3, 1, 1, 1, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.add("conv2", new LayerSpec.Conv2d(32, 16, 3, 1, 1, 1, false)));
        assertEquals("Layer 'conv2' declares inChannels = 32 but its input has 16 channels", e.getMessage());
    }

    @Test
    void classifierWiderThanTheFeaturesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionVgg.build(10)
                .withSpecs(n -> {
                    String id = n.id().value();
                    if (id.equals("features.14")) {
                        return new Node(n.id(), new LayerSpec.Conv2d(64, 64, 3, 1, 1, 1, false), n.inputs());
                    } else if (id.equals("features.15")) {
                        return new Node(n.id(), new LayerSpec.BatchNorm(64), n.inputs());
                    }
                    return n;
                }));
        assertEquals("Layer 'classifier' declares inFeatures = 128 but its input has 64 channels", e.getMessage());
    }
}
