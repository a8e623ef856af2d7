package org.ocsp.modelops.engine;

/** Which tensor of a layer. Running statistics are state, not trainable parameters. */
public enum TensorKind {
    WEIGHT(true), BIAS(true), GAMMA(true), BETA(true), RUNNING_MEAN(false), RUNNING_VAR(false);

    private final boolean trainable;

    TensorKind(boolean trainable) {
        this.trainable = trainable;
    }

    public boolean trainable() {
        return trainable;
    }
}
