package org.ocsp.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The part of kustomize these manifests use, so tests see what {@code kubectl apply -k} applies:
 * {@code resources} (files and directories with a kustomization.yaml), {@code patches} given as
 * JSON 6902 files with a {@code target}, and {@code namespace}. Any other kustomization field is
 * refused, so a manifest cannot silently depend on something the tests do not apply.
 *
 * <pre>{@code
 * List<ObjectNode> gpu = Kustomize.build(Path.of("k8s/overlays/gpu"));
 * }</pre>
 */
public final class Kustomize {
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "patches", "namespace");
    private static final Set<String> TARGET_FIELDS = Set.of("group", "version", "kind", "name");

    private Kustomize() {
    }

    /** The resources of the kustomization in {@code dir}, with its patches and namespace applied. */
    public static List<ObjectNode> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No kustomization.yaml in " + dir);
        }
        JsonNode k = Yaml.readOne(file);
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": field '" + field + "' is not applied by the tests' kustomize; use "
                        + FIELDS);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            Path p = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                for (JsonNode doc : Yaml.readAll(p)) {
                    if (!doc.isObject()) {
                        throw new IllegalArgumentException(p + ": a resource must be a mapping, got " + doc.getNodeType());
                    }
                    out.add((ObjectNode) doc);
                }
            }
        }
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, patch, out);
        }
        if (k.hasNonNull("namespace")) {
            String ns = k.get("namespace").asText();
            for (ObjectNode r : out) {
                if (!"Namespace".equals(r.path("kind").asText())) {
                    ((ObjectNode) r.with("metadata")).put("namespace", ns);
                }
            }
        }
        return out;
    }

    private static void applyPatch(Path dir, JsonNode patch, List<ObjectNode> resources) {
        if (!patch.hasNonNull("path") || !patch.hasNonNull("target")) {
            throw new IllegalArgumentException(dir + ": each patch needs 'path' (a JSON 6902 file) and 'target', got " + patch);
        }
        JsonNode target = patch.get("target");
        for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!TARGET_FIELDS.contains(field)) {
                throw new IllegalArgumentException(dir + ": patch target field '" + field + "' is not supported; use " + TARGET_FIELDS);
            }
        }
        Path file = dir.resolve(patch.get("path").asText());
        JsonNode ops = Yaml.readOne(file);
        int matched = 0;
        for (ObjectNode r : resources) {
            if (matches(target, r)) {
                JsonPatch.apply(r, ops);
                matched++;
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException(file + ": patch target " + target + " matches no resource");
        }
    }

    private static boolean matches(JsonNode target, JsonNode r) {
        String apiVersion = r.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return same(target, "group", group) && same(target, "version", version)
                && same(target, "kind", r.path("kind").asText())
                && same(target, "name", r.path("metadata").path("name").asText());
    }

    private static boolean same(JsonNode target, String field, String actual) {
        return !target.has(field) || target.get(field).asText().equals(actual);
    }
}
