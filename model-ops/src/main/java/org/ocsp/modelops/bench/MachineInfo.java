package org.ocsp.modelops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One line describing the CPU: model name, logical cores and the SIMD flags that matter here. */
final class MachineInfo {
    private static final List<String> FLAGS = List.of("avx2", "fma", "avx512f", "avx512_bf16", "avx_vnni");

    private MachineInfo() {
    }

    static String line() {
        String model = "unknown CPU";
        Set<String> flags = Set.of();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name") && model.equals("unknown CPU")) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                } else if (l.startsWith("flags") && flags.isEmpty()) {
                    flags = Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"));
                }
            }
        } catch (IOException e) {
            model = "unknown CPU (" + e.getMessage() + ")";
        }
        List<String> present = new ArrayList<>();
        for (String f : FLAGS) {
            if (flags.contains(f)) {
                present.add(f);
            }
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, flags " + String.join(" ", present)
                + ", Java " + System.getProperty("java.version");
    }
}
