package org.ocsp.modelops.arch;

import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * Tiny networks with depthwise convolutions, for tests of depthwise coupling (a depthwise conv's
 * output channels are tied to its input channels). Not reference models.
 *
 * <pre>{@code
 * NetworkGraph sep = MobileBlocks.tiny();            // depthwise-separable block, 3x16x16 -> 10
 * NetworkGraph res = MobileBlocks.tinyResidual();    // inverted residual block with a skip add
 * }</pre>
 */
public final class MobileBlocks {
    private static final LayerSpec.Input SMALL = new LayerSpec.Input(3, 16, 16);

    private MobileBlocks() {
    }

    public static NetworkGraph tiny() {
        return tiny(10, SMALL);
    }

    /**
     * <pre>
     * features.0 conv3x3 8 - .1 BN - .2 ReLU
     * features.3 depthwise 3x3 8 (groups 8) - .4 BN - .5 ReLU
     * features.6 pointwise 1x1 16 - .7 BN - .8 ReLU
     * avgpool - flatten - classifier
     * </pre>
     */
    public static NetworkGraph tiny(int numClasses, LayerSpec.Input input) {
        checkClasses(numClasses);
        NetworkGraph.Builder g = NetworkGraph.builder("mobile-tiny", input);
        g.add("features.0", new LayerSpec.Conv2d(input.channels(), 8, 3, 1, 1, 1, false));
        g.add("features.1", new LayerSpec.BatchNorm(8));
        g.add("features.2", new LayerSpec.Relu());
        g.add("features.3", new LayerSpec.Conv2d(8, 8, 3, 1, 1, 8, false));
        g.add("features.4", new LayerSpec.BatchNorm(8));
        g.add("features.5", new LayerSpec.Relu());
        g.add("features.6", new LayerSpec.Conv2d(8, 16, 1, 1, 0, 1, false));
        g.add("features.7", new LayerSpec.BatchNorm(16));
        g.add("features.8", new LayerSpec.Relu());
        head(g, 16, numClasses);
        return g.build();
    }

    public static NetworkGraph tinyResidual() {
        return tinyResidual(10, SMALL);
    }

    /**
     * A MobileNetV2-style inverted residual block (ReLU in place of ReLU6):
     * <pre>
     * stem.0 conv3x3 8 - stem.1 BN - stem.2 ReLU
     * block.conv.0 expand 1x1 16 - block.conv.1 BN - block.conv.2 ReLU
     * block.conv.3 depthwise 3x3 16 (groups 16) - block.conv.4 BN - block.conv.5 ReLU
     * block.conv.6 project 1x1 8 - block.conv.7 BN
     * block.add (stem.2 + block.conv.7) - avgpool - flatten - classifier
     * </pre>
     */
    public static NetworkGraph tinyResidual(int numClasses, LayerSpec.Input input) {
        checkClasses(numClasses);
        NetworkGraph.Builder g = NetworkGraph.builder("mobile-tiny-residual", input);
        g.add("stem.0", new LayerSpec.Conv2d(input.channels(), 8, 3, 1, 1, 1, false));
        g.add("stem.1", new LayerSpec.BatchNorm(8));
        g.add("stem.2", new LayerSpec.Relu());
        g.add("block.conv.0", new LayerSpec.Conv2d(8, 16, 1, 1, 0, 1, false));
        g.add("block.conv.1", new LayerSpec.BatchNorm(16));
        g.add("block.conv.2", new LayerSpec.Relu());
        g.add("block.conv.3", new LayerSpec.Conv2d(16, 16, 3, 1, 1, 16, false));
        g.add("block.conv.4", new LayerSpec.BatchNorm(16));
        g.add("block.conv.5", new LayerSpec.Relu());
        g.add("block.conv.6", new LayerSpec.Conv2d(16, 8, 1, 1, 0, 1, false));
        g.add("block.conv.7", new LayerSpec.BatchNorm(8));
        g.add("block.add", new LayerSpec.Add(), "block.conv.7", "stem.2");
        head(g, 8, numClasses);
        return g.build();
    }

    private static void head(NetworkGraph.Builder g, int channels, int numClasses) {
        g.add("avgpool", new LayerSpec.GlobalAvgPool());
        g.add("flatten", new LayerSpec.Flatten());
        g.add("classifier", new LayerSpec.Linear(channels, numClasses, true));
    }

    private static void checkClasses(int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("Invalid value " + numClasses + " for numClasses: must be > 0");
        }
    }
}
