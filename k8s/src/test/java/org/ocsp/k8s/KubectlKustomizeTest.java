package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The tests' kustomize renders exactly what the real one does: compares with
 * {@code kubectl kustomize} (kustomize built into kubectl), where kubectl is installed (the
 * project's machines have it; elsewhere this test is skipped, the others still run).
 */
class KubectlKustomizeTest {
    static final List<String> ALL = Manifests.ALL;

    @ParameterizedTest
    @FieldSource("ALL")
    void rendersLikeKubectlKustomize(String kustomization, @TempDir Path tmp) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed");
        Path out = tmp.resolve("rendered.yaml");
        Process p = new ProcessBuilder("kubectl", "kustomize", Manifests.k8sDir().resolve(kustomization).toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize timed out");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + kustomization + " failed: " + err);
        assertEquals(byName(Yaml.readAll(out)), byName(Manifests.render(kustomization)), kustomization);
    }

    private static Map<String, JsonNode> byName(List<? extends JsonNode> docs) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode d : docs) {
            out.put(Manifests.describe(d), d);
        }
        return out;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
