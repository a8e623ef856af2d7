package org.ocsp.modelops.arch;

import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Shape;

/**
 * CIFAR ResNets (depth 6n+2: 20, 32, 44, 56, 110) as the reference trains them: its registry
 * maps {@code resnet20..resnet110} to {@code engine/models/cifar/resnet_tiny.py} (RepDistiller's
 * port of fb.resnet.torch). Layout and PyTorch names:
 * <pre>
 * conv1 (3x3, 16, no bias) - bn1 - relu
 * layer1..layer3: n basic blocks each, widths 16/32/64, the first block of layer2/3 with stride 2:
 *   layerS.i.conv1 (3x3, stride, no bias) - .bn1 - .relu - .conv2 (3x3) - .bn2
 *   [layerS.i.downsample.0 (1x1 conv, stride, no bias) - .downsample.1 (BN)]  where the shape changes
 *   layerS.i.add (out += residual) - layerS.i.F.relu (F.relu, functional)
 * avgpool (AvgPool2d(8)) - flatten - fc (linear with bias)
 * </pre>
 * An input whose last stage is not 8x8 gets a global average pool instead of AvgPool2d(8)
 * (the reference only runs at 32x32).
 *
 * <pre>{@code
 * NetworkGraph r56 = CifarResNet.resnet56(10);
 * NetworkGraph r20 = CifarResNet.resnet(20, 100, new LayerSpec.Input(3, 32, 32));
 * }</pre>
 */
public final class CifarResNet {
    private static final int[] WIDTHS = {16, 32, 64};

    private CifarResNet() {
    }

    public static NetworkGraph resnet20(int numClasses) {
        return resnet(20, numClasses);
    }

    public static NetworkGraph resnet32(int numClasses) {
        return resnet(32, numClasses);
    }

    public static NetworkGraph resnet56(int numClasses) {
        return resnet(56, numClasses);
    }

    public static NetworkGraph resnet110(int numClasses) {
        return resnet(110, numClasses);
    }

    public static NetworkGraph resnet(int depth, int numClasses) {
        return resnet(depth, numClasses, new LayerSpec.Input(3, 32, 32));
    }

    public static NetworkGraph resnet(int depth, int numClasses, LayerSpec.Input input) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("Invalid value " + depth
                    + " for CIFAR ResNet depth: must be 6n+2 with n >= 1 (20, 32, 44, 56, 110)");
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("Invalid value " + numClasses + " for numClasses: must be > 0");
        }
        int blocks = (depth - 2) / 6;
        NetworkGraph.Builder g = NetworkGraph.builder("resnet" + depth, input);
        g.add("conv1", new LayerSpec.Conv2d(input.channels(), WIDTHS[0], 3, 1, 1, 1, false));
        g.add("bn1", new LayerSpec.BatchNorm(WIDTHS[0]));
        g.add("relu", new LayerSpec.Relu());
        int inplanes = WIDTHS[0];
        for (int s = 0; s < WIDTHS.length; s++) {
            int planes = WIDTHS[s];
            for (int i = 0; i < blocks; i++) {
                int stride = (s > 0 && i == 0) ? 2 : 1;
                String p = "layer" + (s + 1) + "." + i;
                ResidualBlocks.basic(g, p, inplanes, planes, stride, TorchNames.functional(p, "relu"));
                inplanes = planes;
            }
        }
        Shape last = g.build().shape(LayerId.of(g.last()));
        if (last.height() == 8 && last.width() == 8) {
            g.add("avgpool", new LayerSpec.AvgPool(8, 8));
        } else {
            g.add("avgpool", new LayerSpec.GlobalAvgPool());
        }
        g.add("flatten", new LayerSpec.Flatten());
        g.add("fc", new LayerSpec.Linear(inplanes, numClasses, true));
        return g.build();
    }
}
