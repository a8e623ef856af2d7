package org.ocsp.modelops.cost;

/**
 * Which nodes a FLOPs count sees. Both count multiply-accumulates the way ptflops' module hooks do
 * (see {@link CostModel}); they differ only in nodes that are {@code torch.nn.functional} calls
 * in the PyTorch model (ids with an {@code F} segment, see {@code arch.TorchNames}).
 */
public enum FlopsConvention {
    /**
     * As the reference measures: ptflops hooks {@code nn.Module}s only, so functional calls
     * ({@code F.relu} after a CIFAR ResNet's residual add, after each CIFAR VGG block) cost 0.
     * This gives the published check values (CIFAR ResNet-56 127.12 M, ResNet-18 1822.18 M).
     */
    PTFLOPS,
    /** Every node counts by its type, functional or not (ResNet-56: 127.37 M). */
    EVERY_OP
}
