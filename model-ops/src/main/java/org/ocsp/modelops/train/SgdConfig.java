package org.ocsp.modelops.train;

/** SGD settings with PyTorch's semantics (dampening 0; weight decay added to the gradient). */
public record SgdConfig(double momentum, boolean nesterov, double weightDecay) {
    public SgdConfig {
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("Invalid value " + momentum + " for configuration momentum: must be in [0, 1)");
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("Invalid value " + weightDecay + " for configuration weightDecay: must be >= 0");
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Invalid value true for configuration nesterov: needs momentum > 0");
        }
    }

    /** The reference's CIFAR setting: momentum 0.9 Nesterov, weight decay 5e-4. */
    public static SgdConfig cifarDefault() {
        return new SgdConfig(0.9, true, 5e-4);
    }
}
