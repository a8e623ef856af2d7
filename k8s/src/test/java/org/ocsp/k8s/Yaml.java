package org.ocsp.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML in and out for the manifests: multi-document files as JSON trees, trees into model classes
 * with unknown properties refused.
 *
 * <pre>{@code
 * List<JsonNode> docs = Yaml.readAll(Path.of("k8s/base/kafka.yaml"));
 * Kafka kafka = Yaml.convert(docs.get(2), Kafka.class);
 * }</pre>
 */
public final class Yaml {
    /** Strict: a property the model class does not declare fails (where the class has no any-setter). */
    public static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Yaml() {
    }

    /** Every non-empty document of a (multi-document) YAML file, in order. */
    public static List<JsonNode> readAll(Path file) {
        // One tree per document; readValues() would split a top-level list into its items.
        try (JsonParser parser = MAPPER.getFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (parser.nextToken() != null) {
                JsonNode doc = MAPPER.readTree(parser);
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read YAML " + file + ": " + e.getMessage(), e);
        }
    }

    public static JsonNode readOne(Path file) {
        List<JsonNode> docs = readAll(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + docs.size() + " YAML documents, expected exactly 1");
        }
        return docs.get(0);
    }

    /** A tree as a model class; names the document and the problem when it does not fit. */
    public static <T> T convert(JsonNode doc, Class<T> type) {
        try {
            return MAPPER.treeToValue(doc, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(Manifests.describe(doc) + " does not parse as " + type.getName()
                    + ": " + e.getMessage(), e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
