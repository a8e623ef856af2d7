package org.ocsp.modelops.engine;

/**
 * One layer's forward and backward computation, bound to its buffers for one batch size.
 * {@code backward} overwrites (never accumulates) parameter gradients and the input-gradient
 * buffers it owns; the plan sums gradients where an activation has several consumers.
 */
interface LayerKernel {
    /** A layer whose work another layer's kernel does (a ReLU fused into the batch norm before it). */
    LayerKernel NONE = new LayerKernel() {
        @Override
        public void forward(boolean training) {
        }

        @Override
        public void backward() {
        }
    };

    void forward(boolean training);

    void backward();

    /** True if the gradient for input {@code slot} is exactly this layer's output gradient (add). */
    default boolean passesGradientThrough(int slot) {
        return false;
    }
}
