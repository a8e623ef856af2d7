package org.ocsp.flink.job.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {
    private static ExternalResourceInfo gpu(String index) {
        return new ExternalResourceInfo() {
            @Override
            public Optional<String> getProperty(String key) {
                return Optional.ofNullable(Map.of("index", index).get(key));
            }

            @Override
            public Collection<String> getKeys() {
                return List.of("index");
            }
        };
    }

    @Test
    void assignedGpuIsUsedWithTheCudaBackend() {
        ComputeDevice d = ComputeDevice.choose(List.of(gpu("3"), gpu("5")), true);
        assertEquals(ComputeDevice.Kind.GPU, d.kind());
        assertEquals(Optional.of(3), d.gpuIndex());
        assertTrue(d.describe().contains("GPU 3 assigned by Flink"), d.describe());
    }

    @Test
    void assignedGpuWithTheCpuBuildFallsBackToCpuAndSaysWhy() {
        ComputeDevice d = ComputeDevice.choose(List.of(gpu("1")), false);
        assertEquals(ComputeDevice.Kind.CPU, d.kind());
        assertTrue(d.reason().startsWith("CPU fallback") && d.reason().contains("-Pcuda"), d.reason());
    }

    @Test
    void noGpuAndCpuBuildIsStatedAsCpu() {
        ComputeDevice d = ComputeDevice.choose(List.of(), false);
        assertEquals(ComputeDevice.Kind.CPU, d.kind());
        assertTrue(d.reason().contains("not configured"), d.reason());
        assertEquals(false, ComputeDevice.cudaBackendLoaded(), "tests run on the CPU build");
    }

    @Test
    void badIndexIsRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComputeDevice.choose(List.of(gpu("zero")), true));
        assertTrue(e.getMessage().contains("'zero'"), e.getMessage());
    }
}
