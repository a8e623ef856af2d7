package org.ocsp.modelops.engine;

/** Flatten is a reshaped view of its input, in both directions: nothing to compute. */
final class FlattenKernel implements LayerKernel {
    @Override
    public void forward(boolean training) {
    }

    @Override
    public void backward() {
    }

    @Override
    public boolean passesGradientThrough(int slot) {
        return true;
    }
}
