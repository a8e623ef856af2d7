package org.ocsp.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Where the manifests are and what the build says about them: the project version, the base and
 * its overlays rendered once per test JVM.
 *
 * <pre>{@code
 * ObjectNode deployment = Manifests.one(Manifests.render(Manifests.GPU), "FlinkDeployment");
 * }</pre>
 */
public final class Manifests {
    public static final String BASE = "base";
    public static final String CPU_SMALL = "overlays/cpu-small";
    public static final String GPU = "overlays/gpu";
    /** Everything a user can apply, base included (the overlays build on it). */
    public static final List<String> ALL = List.of(BASE, CPU_SMALL, GPU);
    /** What a user deploys: one overlay. */
    public static final List<String> OVERLAYS = List.of(CPU_SMALL, GPU);

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /** The k8s/ directory (set by surefire; the working directory otherwise). */
    public static Path k8sDir() {
        return Path.of(System.getProperty("ocsp.k8s.dir", ".")).toAbsolutePath().normalize();
    }

    /** The repository root. */
    public static Path repoDir() {
        return Path.of(System.getProperty("ocsp.repo.dir", "..")).toAbsolutePath().normalize();
    }

    /** The Maven project version, which is also the image tag. */
    public static String projectVersion() {
        String v = System.getProperty("ocsp.project.version");
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("System property ocsp.project.version is not set: run the tests through Maven "
                    + "(surefire sets it from ${project.version})");
        }
        return v;
    }

    /** The resources of one kustomization (relative to k8s/), as kustomize would apply them; do not modify. */
    public static List<ObjectNode> render(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, k -> List.copyOf(Kustomize.build(k8sDir().resolve(k))));
    }

    public static List<ObjectNode> ofKind(List<ObjectNode> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.path("kind").asText())).collect(Collectors.toList());
    }

    /** The single resource of a kind; fails if there is none or more than one. */
    public static ObjectNode one(List<ObjectNode> resources, String kind) {
        List<ObjectNode> found = ofKind(resources, kind);
        if (found.size() != 1) {
            throw new IllegalStateException("Expected exactly one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    /** "Kind/name" of a manifest, for messages. */
    public static String describe(JsonNode doc) {
        return doc.path("kind").asText("?") + "/" + doc.path("metadata").path("name").asText("?");
    }

    public static Path file(String relativeToRepo) {
        Path p = repoDir().resolve(relativeToRepo);
        if (!Files.exists(p)) {
            throw new IllegalStateException("Missing " + p);
        }
        return p;
    }
}
