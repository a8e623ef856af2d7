package org.ocsp.modelops.graph;

/**
 * What a node computes. Widths are part of the spec so that a pruned graph describes
 * itself without the original definition.
 */
public sealed interface LayerSpec {

    /** Short type name used in saved models and logs. */
    String type();

    /** The network input, NCHW with the batch dimension left out. */
    record Input(int channels, int height, int width) implements LayerSpec {
        public Input {
            Checks.positive("input channels", channels);
            Checks.positive("input height", height);
            Checks.positive("input width", width);
        }
        public String type() { return "input"; }
    }

    /** 2-D convolution, PyTorch weight layout [out, in/groups, k, k]. */
    record Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, int groups, boolean bias)
            implements LayerSpec {
        public Conv2d {
            Checks.positive("conv inChannels", inChannels);
            Checks.positive("conv outChannels", outChannels);
            Checks.positive("conv kernel", kernel);
            Checks.positive("conv stride", stride);
            Checks.nonNegative("conv padding", padding);
            Checks.positive("conv groups", groups);
            if (inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("Invalid conv groups " + groups + ": must divide inChannels "
                        + inChannels + " and outChannels " + outChannels);
            }
        }
        public String type() { return "conv2d"; }

        /** Every input channel has its own filters (groups == inChannels). */
        public boolean depthwise() {
            return groups > 1 && groups == inChannels;
        }

        public Conv2d withChannels(int in, int out) {
            int g = depthwise() ? in : groups;
            return new Conv2d(in, out, kernel, stride, padding, g, bias);
        }
    }

    /** Batch normalisation over channels with affine gamma and beta. */
    record BatchNorm(int channels, double eps, double momentum) implements LayerSpec {
        public BatchNorm {
            Checks.positive("batchnorm channels", channels);
        }
        public BatchNorm(int channels) {
            this(channels, 1e-5, 0.1);
        }
        public String type() { return "batchnorm"; }
    }

    record Relu() implements LayerSpec {
        public String type() { return "relu"; }
    }

    record MaxPool(int kernel, int stride, int padding) implements LayerSpec {
        public MaxPool {
            Checks.positive("maxpool kernel", kernel);
            Checks.positive("maxpool stride", stride);
            Checks.nonNegative("maxpool padding", padding);
        }
        public String type() { return "maxpool"; }
    }

    record AvgPool(int kernel, int stride) implements LayerSpec {
        public AvgPool {
            Checks.positive("avgpool kernel", kernel);
            Checks.positive("avgpool stride", stride);
        }
        public String type() { return "avgpool"; }
    }

    /** Mean over the spatial dimensions; output is [N, C, 1, 1]. */
    record GlobalAvgPool() implements LayerSpec {
        public String type() { return "gap"; }
    }

    /** [N, C, H, W] to [N, C*H*W]; feature index = c*H*W + h*W + w. */
    record Flatten() implements LayerSpec {
        public String type() { return "flatten"; }
    }

    /** Fully connected, PyTorch weight layout [out, in]. */
    record Linear(int inFeatures, int outFeatures, boolean bias) implements LayerSpec {
        public Linear {
            Checks.positive("linear inFeatures", inFeatures);
            Checks.positive("linear outFeatures", outFeatures);
        }
        public String type() { return "linear"; }
    }

    /** Element-wise sum of two or more inputs of identical shape (residual add). */
    record Add() implements LayerSpec {
        public String type() { return "add"; }
    }
}
