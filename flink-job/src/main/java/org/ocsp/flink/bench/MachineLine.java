package org.ocsp.flink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ocsp.modelops.bench.MachineInfo;

/** The machine line (CPU, cores, SIMD flags, oneDNN ISA, Java), OpenMP settings and load average, for the header of a bench result. */
final class MachineLine {
    private MachineLine() {
    }

    static String describe() {
        return MachineInfo.line() + ", OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
                + ", OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset");
    }

    /** The 1-, 5- and 15-minute load averages (other work on the machine skews every number). */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
