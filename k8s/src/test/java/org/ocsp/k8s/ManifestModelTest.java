package org.ocsp.k8s;

import org.ocsp.flink.topics.Topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest, after the overlays are applied, parses into its operator's own model: Strimzi's
 * API classes for Kafka, node pools and topics; the Flink Kubernetes Operator's CRD schema (its
 * model classes are not served by Maven Central here, so the schema generated from them, vendored
 * from the operator's 1.13.0 Helm chart) plus fabric8's pod model for the pod templates; fabric8's
 * Kubernetes model for the rest. Unknown fields fail in all of them.
 */
class ManifestModelTest {
    static final List<String> ALL = Manifests.ALL;

    private static final CrdSchema FLINK_DEPLOYMENT = CrdSchema.load("/crds/flinkdeployments.flink.apache.org-v1.yml", "v1beta1");

    /** kind -> how to parse and check it: returns the problems found. */
    private static final Map<String, Function<ObjectNode, List<String>>> MODELS = Map.of(
            "Namespace", doc -> strict(doc, Namespace.class),
            "Kafka", doc -> strict(doc, Kafka.class),
            "KafkaNodePool", doc -> strict(doc, KafkaNodePool.class),
            "KafkaTopic", doc -> strict(doc, KafkaTopic.class),
            "PersistentVolumeClaim", doc -> strict(doc, PersistentVolumeClaim.class),
            "KafkaUser", doc -> strict(doc, KafkaUser.class),
            "ConfigMap", doc -> strict(doc, ConfigMap.class),
            "NetworkPolicy", doc -> strict(doc, NetworkPolicy.class),
            "FlinkDeployment", ManifestModelTest::flinkDeployment);

    private static final Map<String, String> API_VERSIONS = Map.of(
            "Namespace", "v1",
            "Kafka", "kafka.strimzi.io/v1",
            "KafkaNodePool", "kafka.strimzi.io/v1",
            "KafkaTopic", "kafka.strimzi.io/v1",
            "PersistentVolumeClaim", "v1",
            "KafkaUser", "kafka.strimzi.io/v1",
            "ConfigMap", "v1",
            "NetworkPolicy", "networking.k8s.io/v1",
            "FlinkDeployment", "flink.apache.org/v1beta1");

    static Stream<Arguments> resources() {
        List<Arguments> out = new ArrayList<>();
        for (String k : Manifests.ALL) {
            for (ObjectNode r : Manifests.render(k)) {
                out.add(Arguments.of(k, Manifests.describe(r), r));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("resources")
    void parsesIntoItsOperatorsModel(String kustomization, String name, ObjectNode resource) {
        String kind = resource.path("kind").asText();
        assertTrue(MODELS.containsKey(kind), kustomization + ": " + name + " has a kind no test knows: " + MODELS.keySet());
        assertEquals(API_VERSIONS.get(kind), resource.path("apiVersion").asText(), kustomization + ": " + name);
        List<String> problems = MODELS.get(kind).apply(resource);
        assertTrue(problems.isEmpty(), kustomization + ": " + name + ": " + problems);
        // Every resource also reads as a generic Kubernetes object (what kubectl sends).
        GenericKubernetesResource generic = Yaml.convert(resource, GenericKubernetesResource.class);
        assertEquals(name.substring(name.indexOf('/') + 1), generic.getMetadata().getName());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("resources")
    void livesInTheOcspNamespace(String kustomization, String name, ObjectNode resource) {
        String expected = resource.path("kind").asText().equals("Namespace") ? "" : "ocsp";
        assertEquals(expected, resource.path("metadata").path("namespace").asText(""), kustomization + ": " + name);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void everyKustomizationDeploysTheWholeSystem(String kustomization) {
        Map<String, Long> kinds = new TreeMap<>(Manifests.render(kustomization).stream()
                .collect(Collectors.groupingBy(r -> r.path("kind").asText(), Collectors.counting())));
        assertEquals(Map.of("FlinkDeployment", 1L, "Kafka", 1L, "KafkaNodePool", 2L, "KafkaTopic", (long) Topics.defaults().all().size(), "Namespace", 1L,
                "PersistentVolumeClaim", 1L, "KafkaUser", 4L, "ConfigMap", 1L, "NetworkPolicy", 1L),
                kinds, kustomization);
    }

    private static <T> List<String> strict(ObjectNode doc, Class<T> type) {
        return ModelStrictness.unknownProperties(Yaml.convert(doc, type));
    }

    private static List<String> flinkDeployment(ObjectNode doc) {
        List<String> problems = new ArrayList<>(FLINK_DEPLOYMENT.validate(doc));
        // The operator reads the pod templates as fabric8 pods: they must be valid pod templates.
        for (String at : List.of("/spec/podTemplate", "/spec/jobManager/podTemplate", "/spec/taskManager/podTemplate")) {
            if (!doc.at(at).isMissingNode()) {
                problems.addAll(ModelStrictness.unknownProperties(Yaml.convert(doc.at(at), PodTemplateSpec.class))
                        .stream().map(p -> at + ": " + p).collect(Collectors.toList()));
            }
        }
        return problems;
    }
}
