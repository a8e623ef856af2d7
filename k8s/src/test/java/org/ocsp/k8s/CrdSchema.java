package org.ocsp.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a custom resource against the OpenAPI v3 schema of its CustomResourceDefinition, the
 * way the API server's structural schema does: unknown fields (which the API server would prune
 * silently), types, enums, int-or-string, preserved unknown fields, required fields.
 *
 * <pre>{@code
 * CrdSchema flink = CrdSchema.load("/crds/flinkdeployments.flink.apache.org-v1.yml", "v1beta1");
 * List<String> errors = flink.validate(deploymentTree);   // empty when it fits
 * }</pre>
 */
public final class CrdSchema {
    private final String kind;
    private final String group;
    private final String version;
    private final JSONSchemaProps schema;

    private CrdSchema(String kind, String group, String version, JSONSchemaProps schema) {
        this.kind = kind;
        this.group = group;
        this.version = version;
        this.schema = schema;
    }

    /** Loads a CRD from the test class path and picks one served version's schema. */
    public static CrdSchema load(String resource, String version) {
        try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No CRD at class path resource " + resource);
            }
            CustomResourceDefinition crd = Yaml.MAPPER.readValue(in, CustomResourceDefinition.class);
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (v.getName().equals(version)) {
                    return new CrdSchema(crd.getSpec().getNames().getKind(), crd.getSpec().getGroup(), version,
                            v.getSchema().getOpenAPIV3Schema());
                }
            }
            throw new IllegalArgumentException("CRD " + resource + " serves no version " + version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public String kind() {
        return kind;
    }

    /** All violations, each as "path: problem"; empty when the resource fits the schema. */
    public List<String> validate(JsonNode resource) {
        List<String> errors = new ArrayList<>();
        if (!apiVersion().equals(resource.path("apiVersion").asText())) {
            errors.add("apiVersion: " + resource.path("apiVersion").asText() + ", expected " + apiVersion());
        }
        if (!kind.equals(resource.path("kind").asText())) {
            errors.add("kind: " + resource.path("kind").asText() + ", expected " + kind);
        }
        check(resource, schema, "", errors);
        return errors;
    }

    private static void check(JsonNode node, JSONSchemaProps s, String path, List<String> errors) {
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
            if (!node.isIntegralNumber() && !node.isTextual()) {
                errors.add(path + ": expected an integer or a string, got " + node.getNodeType());
            }
            return;
        }
        if (Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields()) && s.getType() == null) {
            return;
        }
        String type = s.getType();
        if (type != null && !fits(node, type)) {
            errors.add(path + ": expected " + type + ", got " + node.getNodeType() + " (" + node + ")");
            return;
        }
        if (s.getEnum() != null && !s.getEnum().isEmpty()) {
            boolean found = false;
            for (JsonNode allowed : s.getEnum()) {
                found |= allowed.asText().equals(node.asText());
            }
            if (!found) {
                errors.add(path + ": '" + node.asText() + "' is not one of " + s.getEnum());
            }
        }
        if (node.isObject()) {
            checkObject(node, s, path, errors);
        } else if (node.isArray() && s.getItems() != null && s.getItems().getSchema() != null) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), s.getItems().getSchema(), path + "[" + i + "]", errors);
            }
        }
    }

    private static void checkObject(JsonNode node, JSONSchemaProps s, String path, List<String> errors) {
        Map<String, JSONSchemaProps> props = s.getProperties();
        boolean preserve = Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields());
        if (s.getRequired() != null) {
            for (String required : s.getRequired()) {
                if (!node.has(required)) {
                    errors.add(path + "." + required + ": required");
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String childPath = path + "." + e.getKey();
            if (props != null && props.containsKey(e.getKey())) {
                check(e.getValue(), props.get(e.getKey()), childPath, errors);
            } else if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
                check(e.getValue(), s.getAdditionalProperties().getSchema(), childPath, errors);
            } else if (s.getAdditionalProperties() != null && Boolean.TRUE.equals(s.getAdditionalProperties().getAllows())) {
                continue;
            } else if (!preserve && !(path.isEmpty() && isTypeMeta(e.getKey()))) {
                errors.add(childPath + ": unknown field (the API server would drop it)");
            }
        }
    }

    private static boolean isTypeMeta(String field) {
        return field.equals("apiVersion") || field.equals("kind") || field.equals("metadata");
    }

    private static boolean fits(JsonNode node, String type) {
        switch (type) {
            case "object":
                return node.isObject();
            case "array":
                return node.isArray();
            case "string":
                return node.isTextual();
            case "integer":
                return node.isIntegralNumber();
            case "number":
                return node.isNumber();
            case "boolean":
                return node.isBoolean();
            default:
                return true;
        }
    }
}
