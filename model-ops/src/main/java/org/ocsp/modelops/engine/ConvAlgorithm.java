package org.ocsp.modelops.engine;

import java.util.List;
import java.util.Locale;
import org.bytedeco.dnnl.global.dnnl;
import org.ocsp.modelops.graph.LayerSpec;

/**
 * How oneDNN computes a conv's three passes (forward, backward-data, backward-weights).
 *
 * <ul>
 *   <li>{@link #AUTO} (default) picks per conv and pass from the shape: Winograd F(4x4, 3x3) for
 *       the forward and backward-data passes of a 3x3 stride-1 conv with at least
 *       {@value #WINOGRAD_MIN_CHANNEL_PRODUCT} input times output channels at batch
 *       {@value #WINOGRAD_MIN_BATCH} or more, and for its backward-weights pass from
 *       {@value #WINOGRAD_WEIGHTS_MIN_CHANNEL_PRODUCT}; direct kernels elsewhere. Winograd's tile
 *       transforms cost per channel while its savings grow with channel pairs, so narrow convs
 *       (ResNet's 16-channel stage, most pruned convs) run faster direct. Thresholds measured per
 *       pass on an AVX-512 CPU (bench/RESULTS.md, row 7). Where the ISA has no Winograd kernels
 *       (oneDNN 2.5 on AVX2) every pass is direct.</li>
 *   <li>{@link #ONEDNN} lets oneDNN pick (its {@code convolution_auto}, row 6): Winograd for the
 *       forward and backward-data passes of most 3x3 convs, 16-channel ones included, direct
 *       backward-weights always. Kept to compare.</li>
 *   <li>{@link #DIRECT} forces the direct kernels that PyTorch's oneDNN path uses.</li>
 * </ul>
 * Every pick depends on the shape and the CPU only, never on a timing, so a run (and a restore
 * from a checkpoint) stays reproducible on one machine. A run chooses with its setting
 * {@code conv-algorithm}; networks built outside a run (the bench) read the system property
 * {@code ocsp.conv.algorithm} or the environment variable {@code OCSP_CONV_ALGORITHM}
 * ({@code auto}, {@code onednn}, {@code direct}).
 */
public enum ConvAlgorithm {
    AUTO, ONEDNN, DIRECT;

    static final String PROPERTY = "ocsp.conv.algorithm";
    static final int WINOGRAD_MIN_CHANNEL_PRODUCT = 512;
    static final int WINOGRAD_WEIGHTS_MIN_CHANNEL_PRODUCT = 2048;
    static final int WINOGRAD_MIN_BATCH = 16;

    /** oneDNN's algorithm for each pass of one conv. */
    record Passes(dnnl.algorithm forward, dnnl.algorithm backwardData, dnnl.algorithm backwardWeights) {
        static Passes all(dnnl.algorithm a) {
            return new Passes(a, a, a);
        }

        boolean usesWinograd() {
            return forward == dnnl.algorithm.convolution_winograd || backwardData == dnnl.algorithm.convolution_winograd
                    || backwardWeights == dnnl.algorithm.convolution_winograd;
        }
    }

    /**
     * Algorithms to try for this conv at this batch, best first; the caller takes the first that
     * oneDNN has optimised kernels for in the plan's layout (Winograd has none for many shapes).
     * Without Winograd kernels on this ISA ({@code winogradKernels} false: oneDNN 2.5 on AVX2) AUTO
     * asks for direct kernels only, instead of asking for Winograd and failing over per conv.
     */
    List<Passes> candidates(LayerSpec.Conv2d s, long batch, boolean winogradKernels) {
        Passes direct = Passes.all(dnnl.algorithm.convolution_direct);
        return switch (this) {
            case ONEDNN -> List.of(Passes.all(dnnl.algorithm.convolution_auto));
            case DIRECT -> List.of(direct);
            case AUTO -> {
                long pairs = (long) s.inChannels() * s.outChannels();
                if (!(winogradKernels && s.kernel() == 3 && s.stride() == 1 && s.groups() == 1 && batch >= WINOGRAD_MIN_BATCH
                        && pairs >= WINOGRAD_MIN_CHANNEL_PRODUCT)) {
                    yield List.of(direct);
                }
                dnnl.algorithm weights = pairs >= WINOGRAD_WEIGHTS_MIN_CHANNEL_PRODUCT
                        ? dnnl.algorithm.convolution_winograd : dnnl.algorithm.convolution_direct;
                yield List.of(new Passes(dnnl.algorithm.convolution_winograd, dnnl.algorithm.convolution_winograd, weights),
                        direct);
            }
        };
    }

    static ConvAlgorithm select() {
        String wanted = System.getProperty(PROPERTY, System.getenv().getOrDefault("OCSP_CONV_ALGORITHM", "auto"));
        try {
            return valueOf(wanted.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown conv algorithm '" + wanted + "' in " + PROPERTY
                    + " / OCSP_CONV_ALGORITHM: use auto, onednn or direct", e);
        }
    }
}
