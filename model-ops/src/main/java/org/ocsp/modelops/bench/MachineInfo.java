package org.ocsp.modelops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ocsp.modelops.engine.CpuFeatures;

/**
 * One line describing the CPU: model name, logical cores, the SIMD flags that matter here and the
 * instruction set oneDNN actually dispatches to (lower than the flags when {@code ONEDNN_MAX_CPU_ISA}
 * caps it), so that a figure quoted with its machine line says which kernels produced it.
 */
public final class MachineInfo {
    private static final List<String> FLAGS = List.of("avx2", "fma", "avx512f", "avx512_bf16", "avx_vnni");

    private MachineInfo() {
    }

    public static String line() {
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
        String isa = CpuFeatures.isa();
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, flags " + String.join(" ", present)
                + (isa.isEmpty() ? ", no oneDNN" : ", oneDNN ISA " + isa) + ", Java " + System.getProperty("java.version");
    }
}
