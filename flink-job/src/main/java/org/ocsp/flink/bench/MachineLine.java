package org.ocsp.flink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU, core count, Java version and load average, for the header of a bench result. */
final class MachineLine {
    private MachineLine() {
    }

    static String describe() {
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
        } catch (IOException e) {
            model = "unknown CPU (" + e.getMessage() + ")";
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS",
                "unset") + ", OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset");
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
