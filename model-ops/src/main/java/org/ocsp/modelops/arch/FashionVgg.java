package org.ocsp.modelops.arch;

import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * A small VGG for 28x28 grey images (Fashion-MNIST), our own model (no reference counterpart),
 * named like a PyTorch {@code features} / {@code classifier} pair:
 * <pre>
 * features.0  conv3x3 32   features.1 BN  features.2 ReLU
 * features.3  conv3x3 32   features.4 BN  features.5 ReLU   features.6  maxpool 2
 * features.7  conv3x3 64   features.8 BN  features.9 ReLU
 * features.10 conv3x3 64   features.11 BN features.12 ReLU  features.13 maxpool 2
 * features.14 conv3x3 128  features.15 BN features.16 ReLU
 * avgpool (AdaptiveAvgPool2d(1)) - flatten - classifier (linear 128 -> classes, bias)
 * </pre>
 * Convs have no bias (BN follows); all ReLUs are modules.
 *
 * <pre>{@code
 * NetworkGraph g = FashionVgg.build(10);
 * }</pre>
 */
public final class FashionVgg {
    private static final int[] CFG = {32, 32, -1, 64, 64, -1, 128};

    private FashionVgg() {
    }

    public static NetworkGraph build(int numClasses) {
        return build(numClasses, new LayerSpec.Input(1, 28, 28));
    }

    public static NetworkGraph build(int numClasses, LayerSpec.Input input) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("Invalid value " + numClasses + " for numClasses: must be > 0");
        }
        NetworkGraph.Builder g = NetworkGraph.builder("fashion-vgg", input);
        int idx = 0;
        int in = input.channels();
        for (int w : CFG) {
            if (w < 0) {
                g.add("features." + idx++, new LayerSpec.MaxPool(2, 2, 0));
            } else {
                g.add("features." + idx++, new LayerSpec.Conv2d(in, w, 3, 1, 1, 1, false));
                g.add("features." + idx++, new LayerSpec.BatchNorm(w));
                g.add("features." + idx++, new LayerSpec.Relu());
                in = w;
            }
        }
        g.add("avgpool", new LayerSpec.GlobalAvgPool());
        g.add("flatten", new LayerSpec.Flatten());
        g.add("classifier", new LayerSpec.Linear(in, numClasses, true));
        return g.build();
    }
}
