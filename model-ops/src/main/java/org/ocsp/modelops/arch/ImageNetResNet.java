package org.ocsp.modelops.arch;

import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * ImageNet ResNets in torchvision's layout (the reference takes them from {@code torchvision.models}):
 * <pre>
 * conv1 (7x7, 64, stride 2, pad 3, no bias) - bn1 - relu - maxpool (3x3, stride 2, pad 1)
 * layer1..layer4 (64/128/256/512 planes; layer2..4 start with stride 2)
 *   basic:      .conv1 (3x3, stride) .bn1 .relu .conv2 (3x3) .bn2
 *   bottleneck: .conv1 (1x1) .bn1 .relu .conv2 (3x3, stride: v1.5) .bn2 .relu#2 .conv3 (1x1, 4x) .bn3
 *   [.downsample.0 (1x1 conv, stride, no bias) .downsample.1 (BN)] where the shape changes
 *   .add, then the block's relu module again (.relu#2 basic, .relu#3 bottleneck)
 * avgpool (AdaptiveAvgPool2d(1)) - flatten - fc (linear with bias)
 * </pre>
 * torchvision calls each block's single {@code relu} module two or three times, so every call
 * is a module call and counted by ptflops.
 *
 * <pre>{@code
 * NetworkGraph r18 = ImageNetResNet.resnet18(1000);    // 3x224x224
 * NetworkGraph r50 = ImageNetResNet.resnet50(100, new LayerSpec.Input(3, 160, 160));
 * }</pre>
 */
public final class ImageNetResNet {
    private static final int[] PLANES = {64, 128, 256, 512};
    private static final LayerSpec.Input IMAGENET = new LayerSpec.Input(3, 224, 224);

    private ImageNetResNet() {
    }

    public static NetworkGraph resnet18(int numClasses) {
        return resnet18(numClasses, IMAGENET);
    }

    public static NetworkGraph resnet18(int numClasses, LayerSpec.Input input) {
        return build("resnet18", false, new int[] {2, 2, 2, 2}, numClasses, input);
    }

    public static NetworkGraph resnet34(int numClasses) {
        return resnet34(numClasses, IMAGENET);
    }

    public static NetworkGraph resnet34(int numClasses, LayerSpec.Input input) {
        return build("resnet34", false, new int[] {3, 4, 6, 3}, numClasses, input);
    }

    public static NetworkGraph resnet50(int numClasses) {
        return resnet50(numClasses, IMAGENET);
    }

    public static NetworkGraph resnet50(int numClasses, LayerSpec.Input input) {
        return build("resnet50", true, new int[] {3, 4, 6, 3}, numClasses, input);
    }

    private static NetworkGraph build(String name, boolean bottleneck, int[] blocks, int numClasses,
            LayerSpec.Input input) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("Invalid value " + numClasses + " for numClasses: must be > 0");
        }
        int expansion = bottleneck ? 4 : 1;
        NetworkGraph.Builder g = NetworkGraph.builder(name, input);
        g.add("conv1", new LayerSpec.Conv2d(input.channels(), 64, 7, 2, 3, 1, false));
        g.add("bn1", new LayerSpec.BatchNorm(64));
        g.add("relu", new LayerSpec.Relu());
        g.add("maxpool", new LayerSpec.MaxPool(3, 2, 1));
        int inplanes = 64;
        for (int s = 0; s < PLANES.length; s++) {
            for (int i = 0; i < blocks[s]; i++) {
                int stride = (s > 0 && i == 0) ? 2 : 1;
                String p = "layer" + (s + 1) + "." + i;
                if (bottleneck) {
                    bottleneckBlock(g, p, inplanes, PLANES[s], stride);
                } else {
                    ResidualBlocks.basic(g, p, inplanes, PLANES[s], stride, TorchNames.call(p + ".relu", 2));
                }
                inplanes = PLANES[s] * expansion;
            }
        }
        g.add("avgpool", new LayerSpec.GlobalAvgPool());
        g.add("flatten", new LayerSpec.Flatten());
        g.add("fc", new LayerSpec.Linear(inplanes, numClasses, true));
        return g.build();
    }

    private static void bottleneckBlock(NetworkGraph.Builder g, String p, int inplanes, int planes, int stride) {
        String x = g.last();
        int out = planes * 4;
        g.add(p + ".conv1", new LayerSpec.Conv2d(inplanes, planes, 1, 1, 0, 1, false));
        g.add(p + ".bn1", new LayerSpec.BatchNorm(planes));
        g.add(p + ".relu", new LayerSpec.Relu());
        g.add(p + ".conv2", new LayerSpec.Conv2d(planes, planes, 3, stride, 1, 1, false));
        g.add(p + ".bn2", new LayerSpec.BatchNorm(planes));
        g.add(TorchNames.call(p + ".relu", 2), new LayerSpec.Relu());
        g.add(p + ".conv3", new LayerSpec.Conv2d(planes, out, 1, 1, 0, 1, false));
        g.add(p + ".bn3", new LayerSpec.BatchNorm(out));
        ResidualBlocks.add(g, p, x, inplanes, out, stride);
        g.add(TorchNames.call(p + ".relu", 3), new LayerSpec.Relu());
    }

    /** {@code out += identity}, where identity is the block input or its 1x1 conv + BN projection. */
}
