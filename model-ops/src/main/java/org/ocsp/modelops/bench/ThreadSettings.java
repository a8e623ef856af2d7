package org.ocsp.modelops.bench;

import java.util.Locale;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The thread counts of ND4J's native side, set deliberately: libnd4j's OpenMP pool (used by its own
 * loops and, through the same OpenMP runtime, by oneDNN) and OpenBLAS's pool (gemm).
 * {@code OMP_NUM_THREADS} must be set before the JVM starts to bound the OpenMP pool at creation;
 * these calls bound what ND4J asks of it afterwards.
 *
 * <pre>{@code
 * ThreadSettings.apply(2);
 * }</pre>
 */
final class ThreadSettings {
    private ThreadSettings() {
    }

    static void apply(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    static String describe() {
        Nd4jCpu.Environment env = Nd4jCpu.Environment.getInstance();
        return String.format(Locale.ROOT, "maxThreads %d, maxMasterThreads %d, BLAS %s threads %d, oneDNN %s, helpers %s, "
                        + "OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s",
                env.maxThreads(), env.maxMasterThreads(), Nd4j.factory().blas().getBlasVendor(),
                Nd4j.factory().blas().getMaxThreads(), env.isUseONEDNN(), env.helpersAllowed(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"));
    }
}
