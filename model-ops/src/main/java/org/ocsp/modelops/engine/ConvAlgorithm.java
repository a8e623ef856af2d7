package org.ocsp.modelops.engine;

import java.util.Locale;
import org.bytedeco.dnnl.global.dnnl;

/**
 * How oneDNN computes a conv. {@link #AUTO} lets oneDNN pick per layer from the shape and the CPU
 * (here: Winograd F(4x4, 3x3) for the forward and backward-data passes of 3x3 stride-1 convs with
 * enough channels, direct kernels elsewhere); the pick depends on nothing else, so a run stays
 * reproducible on one machine. {@link #DIRECT} forces the direct kernels that PyTorch's oneDNN
 * path uses. The system property {@code ocsp.conv.algorithm} or the environment variable
 * {@code OCSP_CONV_ALGORITHM} ({@code auto}, {@code direct}) chooses; the default is auto.
 */
enum ConvAlgorithm {
    AUTO(dnnl.algorithm.convolution_auto), DIRECT(dnnl.algorithm.convolution_direct);

    static final String PROPERTY = "ocsp.conv.algorithm";

    private final dnnl.algorithm value;

    ConvAlgorithm(dnnl.algorithm value) {
        this.value = value;
    }

    dnnl.algorithm value() {
        return value;
    }

    static ConvAlgorithm select() {
        String wanted = System.getProperty(PROPERTY, System.getenv().getOrDefault("OCSP_CONV_ALGORITHM", "auto"));
        try {
            return valueOf(wanted.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown conv algorithm '" + wanted + "' in " + PROPERTY
                    + " / OCSP_CONV_ALGORITHM: use auto or direct", e);
        }
    }
}
