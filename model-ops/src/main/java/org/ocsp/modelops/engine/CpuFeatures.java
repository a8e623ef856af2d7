package org.ocsp.modelops.engine;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * The CPU features that decide which kernels run and so how fast, and to the last bits what, a
 * network computes: the instruction set oneDNN dispatches to (with its cap, if
 * {@code ONEDNN_MAX_CPU_ISA} sets one), its activation layout and Winograd availability, the
 * calling thread's OpenMP team and the conv algorithm rule. Two machines whose numbers differ
 * usually differ in this line; the trainer logs it and the commands that train print it first.
 */
public final class CpuFeatures {
    /** The system property (or {@code OCSP_CONV_ALGORITHM}) that picks the conv algorithm when a network is built. */
    public static final String CONV_ALGORITHM_PROPERTY = ConvAlgorithm.PROPERTY;

    private CpuFeatures() {
    }

    /** One line, e.g. {@code oneDNN ISA avx2 (capped by ONEDNN_MAX_CPU_ISA=AVX2), activations in nChw8c, ...}. */
    public static String describe() {
        String onednn = Dnnl.get().map(d -> "oneDNN " + d.describe()).orElse("oneDNN not available (ND4J engine)");
        OptionalInt threads = OpenMpThreads.ofCallingThread();
        return onednn + ", OpenMP threads " + (threads.isPresent() ? Integer.toString(threads.getAsInt()) : "unknown")
                + ", conv algorithm " + ConvAlgorithm.select().name().toLowerCase(Locale.ROOT);
    }

    /** The ISA word oneDNN's kernel names carry ({@code avx2}, {@code avx512_core}), or empty without oneDNN. */
    public static String isa() {
        return Dnnl.get().map(Dnnl::isa).orElse("");
    }
}
