package org.ocsp.modelops.testing;

import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/** Small generated graphs that cover every coupling rule, for fast unit tests. */
public final class SmallGraphs {
    private SmallGraphs() {
    }

    /** conv-BN-ReLU stacks with max pooling, flatten straight into a hidden linear layer. */
    public static NetworkGraph vggWithFlatten() {
        return NetworkGraph.builder("small-vgg-flatten", new LayerSpec.Input(3, 8, 8))
                .add("c1", new LayerSpec.Conv2d(3, 6, 3, 1, 1, 1, false))
                .add("b1", new LayerSpec.BatchNorm(6))
                .add("r1", new LayerSpec.Relu())
                .add("p1", new LayerSpec.MaxPool(2, 2, 0))
                .add("c2", new LayerSpec.Conv2d(6, 8, 3, 1, 1, 1, true))
                .add("b2", new LayerSpec.BatchNorm(8))
                .add("r2", new LayerSpec.Relu())
                .add("p2", new LayerSpec.MaxPool(2, 2, 0))
                .add("flat", new LayerSpec.Flatten())
                .add("fc1", new LayerSpec.Linear(8 * 2 * 2, 12, true))
                .add("r3", new LayerSpec.Relu())
                .add("fc2", new LayerSpec.Linear(12, 10, true))
                .build();
    }

    /** Two residual stages, the second entered through a 1x1 projection. */
    public static NetworkGraph residual() {
        return NetworkGraph.builder("small-resnet", new LayerSpec.Input(3, 8, 8))
                .add("conv1", new LayerSpec.Conv2d(3, 4, 3, 1, 1, 1, false))
                .add("bn1", new LayerSpec.BatchNorm(4))
                .add("relu", new LayerSpec.Relu())
                .add("l1.conv1", new LayerSpec.Conv2d(4, 5, 3, 1, 1, 1, false))
                .add("l1.bn1", new LayerSpec.BatchNorm(5))
                .add("l1.relu1", new LayerSpec.Relu())
                .add("l1.conv2", new LayerSpec.Conv2d(5, 4, 3, 1, 1, 1, false))
                .add("l1.bn2", new LayerSpec.BatchNorm(4))
                .add("l1.add", new LayerSpec.Add(), "l1.bn2", "relu")
                .add("l1.relu2", new LayerSpec.Relu())
                .add("l2.conv1", new LayerSpec.Conv2d(4, 6, 3, 2, 1, 1, false))
                .add("l2.bn1", new LayerSpec.BatchNorm(6))
                .add("l2.relu1", new LayerSpec.Relu())
                .add("l2.conv2", new LayerSpec.Conv2d(6, 8, 3, 1, 1, 1, false))
                .add("l2.bn2", new LayerSpec.BatchNorm(8))
                .add("l2.down", new LayerSpec.Conv2d(4, 8, 1, 2, 0, 1, false), "l1.relu2")
                .add("l2.downbn", new LayerSpec.BatchNorm(8))
                .add("l2.add", new LayerSpec.Add(), "l2.bn2", "l2.downbn")
                .add("l2.relu2", new LayerSpec.Relu())
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("flat", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(8, 10, true))
                .build();
    }

    /** A depthwise-separable block. */
    public static NetworkGraph depthwise() {
        return NetworkGraph.builder("small-dw", new LayerSpec.Input(3, 8, 8))
                .add("c1", new LayerSpec.Conv2d(3, 6, 3, 1, 1, 1, false))
                .add("b1", new LayerSpec.BatchNorm(6))
                .add("r1", new LayerSpec.Relu())
                .add("dw", new LayerSpec.Conv2d(6, 6, 3, 1, 1, 6, false))
                .add("b2", new LayerSpec.BatchNorm(6))
                .add("r2", new LayerSpec.Relu())
                .add("pw", new LayerSpec.Conv2d(6, 7, 1, 1, 0, 1, false))
                .add("b3", new LayerSpec.BatchNorm(7))
                .add("r3", new LayerSpec.Relu())
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("flat", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(7, 10, false))
                .build();
    }
}
