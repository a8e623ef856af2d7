package org.ocsp.modelops.arch;

import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * Residual block pieces shared by the CIFAR and ImageNet ResNets (torchvision / reference
 * naming: conv1, bn1, relu, conv2, bn2, downsample.0/.1, add).
 */
final class ResidualBlocks {
    private ResidualBlocks() {
    }

    /**
     * A basic block: conv3x3-BN-ReLU-conv3x3-BN, residual add, then a ReLU named {@code finalRelu}
     * (the reference's CIFAR model applies it functionally, torchvision reuses the block's module).
     */
    static void basic(NetworkGraph.Builder g, String p, int inplanes, int planes, int stride, String finalRelu) {
        String x = g.last();
        g.add(p + ".conv1", new LayerSpec.Conv2d(inplanes, planes, 3, stride, 1, 1, false));
        g.add(p + ".bn1", new LayerSpec.BatchNorm(planes));
        g.add(p + ".relu", new LayerSpec.Relu());
        g.add(p + ".conv2", new LayerSpec.Conv2d(planes, planes, 3, 1, 1, 1, false));
        g.add(p + ".bn2", new LayerSpec.BatchNorm(planes));
        add(g, p, x, inplanes, planes, stride);
        g.add(finalRelu, new LayerSpec.Relu());
    }

    /** Adds the block input, or where the shape changes its 1x1 conv + BN projection, to the last node. */
    static void add(NetworkGraph.Builder g, String p, String x, int inplanes, int out, int stride) {
        String main = g.last();
        String identity = x;
        if (stride != 1 || inplanes != out) {
            g.add(p + ".downsample.0", new LayerSpec.Conv2d(inplanes, out, 1, stride, 0, 1, false), x);
            g.add(p + ".downsample.1", new LayerSpec.BatchNorm(out));
            identity = g.last();
        }
        g.add(p + ".add", new LayerSpec.Add(), main, identity);
    }
}
