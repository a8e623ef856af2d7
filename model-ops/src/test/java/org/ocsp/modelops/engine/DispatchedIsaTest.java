package org.ocsp.modelops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * oneDNN dispatches to the ISA the test run expects: the CPU's best without a cap, the cap's
 * where {@code ONEDNN_MAX_CPU_ISA} sets one. deploy/test.sh runs the engine tests a second time
 * with the ISA capped at AVX2 and {@code -Docsp.expect.isa=avx2}; this test then fails unless
 * the kernels really are AVX2's, so the second run cannot silently repeat the first.
 */
class DispatchedIsaTest {
    @BeforeAll
    static void oneDnnLoads() {
        assumeTrue(Dnnl.get().isPresent(), "oneDNN native library not available on this platform");
    }

    @Test
    void kernelsAreTheExpectedIsas() throws IOException {
        Dnnl d = Dnnl.get().orElseThrow();
        String expected = System.getProperty("ocsp.expect.isa", cappedOrBest()).toLowerCase(Locale.ROOT);
        String family = expected.startsWith("avx512") ? "avx512" : expected;
        assertTrue(d.isa().startsWith(family), "oneDNN dispatches to " + d.isa() + ", expected " + expected);
        assertEquals(family.equals("avx512") ? 16 : 8, d.channelBlock(), d.describe());
        NetworkGraph g = Architectures.byName("resnet20", 10);
        try (ParameterStore p = ParameterStore.allocate(g, DataType.FLOAT)) {
            new Initializer(3).initialize(g, p);
            DnnlPlan.Arena arena = new DnnlPlan.Arena(16, DnnlPlan.LayoutChoice.AUTO, ConvAlgorithm.AUTO);
            Map<LayerId, String> kernels = DnnlPlan.build(d, g, p, arena, 16).convImplementations();
            arena.close();
            assertTrue(kernels.values().stream().allMatch(k -> k.contains(family)), expected + ": " + kernels);
            if (!family.equals("avx512")) {
                assertTrue(kernels.values().stream().noneMatch(k -> k.contains("avx512")), expected + ": " + kernels);
            }
        }
    }

    /** The cap's ISA if one is set, else the best this CPU's flags allow (avx512 or avx2). */
    private static String cappedOrBest() throws IOException {
        String cap = System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", System.getenv("DNNL_MAX_CPU_ISA"));
        if (cap != null && !cap.isBlank() && !cap.equalsIgnoreCase("ALL")) {
            return cap;
        }
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                .findFirst().orElse("");
        return flags.contains(" avx512f") && flags.contains(" avx512bw") ? "avx512" : "avx2";
    }
}
