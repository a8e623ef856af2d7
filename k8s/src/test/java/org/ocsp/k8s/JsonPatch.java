package org.ocsp.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON Patch, the operations kustomize overlays use here: {@code add}, {@code replace},
 * {@code remove}. Paths are RFC 6901 pointers ({@code ~1} for '/', {@code ~0} for '~').
 *
 * <pre>{@code
 * JsonPatch.apply(deployment, (ArrayNode) Yaml.readOne(Path.of("flink-gpu.patch.yaml")));
 * }</pre>
 */
public final class JsonPatch {
    private JsonPatch() {
    }

    /** Applies the operations in order to {@code doc}, in place. */
    public static void apply(ObjectNode doc, JsonNode ops) {
        if (!ops.isArray()) {
            throw new IllegalArgumentException("A JSON 6902 patch is a list of operations, got " + ops.getNodeType());
        }
        for (JsonNode op : ops) {
            applyOne(doc, op);
        }
    }

    private static void applyOne(ObjectNode doc, JsonNode op) {
        String name = text(op, "op");
        String path = text(op, "path");
        List<String> tokens = tokens(path);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("Invalid value '" + path + "' for patch path: the whole document cannot be patched");
        }
        JsonNode parent = doc;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent = child(parent, token, path);
        }
        String last = tokens.get(tokens.size() - 1);
        switch (name) {
            case "add":
                add(parent, last, value(op, path), path);
                break;
            case "replace":
                child(parent, last, path);   // must exist
                set(parent, last, value(op, path), path);
                break;
            case "remove":
                child(parent, last, path);
                if (parent.isObject()) {
                    ((ObjectNode) parent).remove(last);
                } else {
                    ((ArrayNode) parent).remove(index(last, path));
                }
                break;
            default:
                throw new IllegalArgumentException("Invalid value '" + name + "' for patch op at " + path
                        + ": supported are add, replace, remove");
        }
    }

    private static void add(JsonNode parent, String token, JsonNode value, String path) {
        if (parent.isArray()) {
            ArrayNode array = (ArrayNode) parent;
            if (token.equals("-")) {
                array.add(value);
            } else {
                int i = index(token, path);
                if (i > array.size()) {
                    throw new IllegalArgumentException("Patch path " + path + ": index " + i + " past the end (" + array.size() + ")");
                }
                array.insert(i, value);
            }
        } else {
            set(parent, token, value, path);
        }
    }

    private static void set(JsonNode parent, String token, JsonNode value, String path) {
        if (parent.isObject()) {
            ((ObjectNode) parent).set(token, value);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).set(index(token, path), value);
        } else {
            throw new IllegalArgumentException("Patch path " + path + ": parent is a " + parent.getNodeType());
        }
    }

    private static JsonNode child(JsonNode node, String token, String path) {
        JsonNode next = node.isArray() ? node.get(index(token, path)) : node.get(token);
        if (next == null) {
            throw new IllegalArgumentException("Patch path " + path + ": no '" + token + "' in the target document");
        }
        return next;
    }

    private static int index(String token, String path) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Patch path " + path + ": '" + token + "' is not a list index", e);
        }
    }

    private static JsonNode value(JsonNode op, String path) {
        JsonNode v = op.get("value");
        if (v == null) {
            throw new IllegalArgumentException("Patch op at " + path + " has no value");
        }
        return v.deepCopy();
    }

    private static String text(JsonNode op, String field) {
        JsonNode v = op.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("Patch operation " + op + " has no '" + field + "'");
        }
        return v.asText();
    }

    static List<String> tokens(String pointer) {
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("Invalid value '" + pointer + "' for patch path: must start with '/'");
        }
        List<String> out = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            out.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }
}
