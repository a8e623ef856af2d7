package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tests' kustomize: JSON 6902 patches, targets, namespace; unsupported input is refused. */
class KustomizeTest {
    private static ObjectNode doc(String yaml) throws IOException {
        return (ObjectNode) Yaml.MAPPER.readTree(yaml);
    }

    private static JsonNode ops(String yaml) throws IOException {
        return Yaml.MAPPER.readTree(yaml);
    }

    @Test
    void addReplaceRemove() throws IOException {
        ObjectNode d = doc("spec: {a: 1, list: [x, y], m: {k: v}}");
        JsonPatch.apply(d, ops("- {op: add, path: /spec/b, value: 2}\n"
                + "- {op: add, path: /spec/list/-, value: z}\n"
                + "- {op: add, path: /spec/list/0, value: w}\n"
                + "- {op: replace, path: /spec/a, value: 3}\n"
                + "- {op: remove, path: /spec/m/k}\n"
                + "- {op: add, path: /spec/m/nvidia.com~1gpu.present, value: 'true'}\n"));
        assertEquals(doc("spec: {a: 3, list: [w, x, y, z], m: {nvidia.com/gpu.present: 'true'}, b: 2}"), d);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "- {op: replace, path: /spec/missing, value: 1}|no 'missing'",
        "- {op: remove, path: /spec/missing}|no 'missing'",
        "- {op: move, from: /spec/a, path: /spec/b}|supported are add, replace, remove",
        "- {op: add, path: spec/a, value: 1}|must start with '/'",
        "- {op: add, path: /spec/a}|has no value",
        "{op: add, path: /spec/a, value: 1}|a list of operations",
    })
    void badPatchesFailWithTheReason(String patch, String message) throws IOException {
        ObjectNode d = doc("spec: {a: 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPatch.apply(d, ops(patch)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void overlayPatchesItsTargetAndSetsTheNamespace(@TempDir Path dir) throws IOException {
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("kustomization.yaml"), "namespace: n1\nresources: [r.yaml]\n");
        Files.writeString(base.resolve("r.yaml"), "apiVersion: g.io/v1\nkind: K\nmetadata: {name: a}\nspec: {x: 1}\n---\n"
                + "apiVersion: g.io/v1\nkind: K\nmetadata: {name: b}\nspec: {x: 1}\n");
        Path overlay = Files.createDirectories(dir.resolve("overlay"));
        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [../base]\npatches:\n"
                + "  - path: p.yaml\n    target: {group: g.io, version: v1, kind: K, name: b}\n");
        Files.writeString(overlay.resolve("p.yaml"), "- {op: replace, path: /spec/x, value: 2}\n");
        List<ObjectNode> out = Kustomize.build(overlay);
        assertEquals(1, out.get(0).at("/spec/x").asInt());
        assertEquals(2, out.get(1).at("/spec/x").asInt());
        assertEquals("n1", out.get(1).at("/metadata/namespace").asText());
    }

    @Test
    void unsupportedKustomizationFieldsAreRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nimages: [{name: x, newTag: y}]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir));
        assertTrue(e.getMessage().contains("field 'images' is not applied"), e.getMessage());
    }

    @Test
    void patchMatchingNothingFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [r.yaml]\npatches:\n"
                + "  - path: p.yaml\n    target: {kind: K, name: nope}\n");
        Files.writeString(dir.resolve("r.yaml"), "apiVersion: v1\nkind: K\nmetadata: {name: a}\n");
        Files.writeString(dir.resolve("p.yaml"), "- {op: add, path: /x, value: 1}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir));
        assertTrue(e.getMessage().contains("matches no resource"), e.getMessage());
    }
}
