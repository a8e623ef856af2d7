package org.ocsp.modelops.group;

/** Which slice of a layer a group's channel index selects. */
public enum Side {
    /** Output filters (weight rows and bias) of a conv or linear layer that produces the channels. */
    OUT,
    /** Input columns of a conv or linear layer that reads the channels. */
    IN,
    /** Gamma, beta, running mean and running variance of a BatchNorm layer. */
    BN,
    /** A depthwise conv: its filter c both reads and writes channel c. */
    DEPTHWISE
}
