package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.ocsp.flink.topics.TopicSpec;
import org.ocsp.flink.topics.Topics;

/** The KafkaTopic resources are generated from the job's topic definition and equal it. */
class KafkaTopicsManifestTest {
    static final List<String> ALL = Manifests.ALL;

    @Test
    void committedManifestIsTheGeneratedOne() throws IOException {
        Path committed = Manifests.k8sDir().resolve(KafkaTopicGenerator.MANIFEST);
        String generated = KafkaTopicGenerator.generate(KafkaTopicGenerator.clusterTopics());
        if (Boolean.getBoolean("ocsp.k8s.regenerate")) {
            KafkaTopicGenerator.main(new String[] {committed.toString()});
        }
        assertEquals(generated, Files.readString(committed), committed + " is out of date with org.ocsp.flink.topics.Topics; "
                + "regenerate it (the command is in its header and in k8s/README.md)");
    }

    private static Map<String, KafkaTopic> topicsByName(String kustomization) {
        return Manifests.ofKind(Manifests.render(kustomization), "KafkaTopic").stream()
                .map(doc -> Yaml.convert(doc, KafkaTopic.class))
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
    }

    private static Map<String, String> configs(KafkaTopic topic) {
        Map<String, String> out = new TreeMap<>();
        topic.getSpec().getConfig().forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void topicsEqualTheJobsDefinition(String kustomization) {
        Map<String, KafkaTopic> manifests = topicsByName(kustomization);
        Topics topics = Topics.defaults();
        assertEquals(topics.all().stream().map(TopicSpec::name).collect(Collectors.toSet()), manifests.keySet(), kustomization);
        for (TopicSpec spec : topics.all()) {
            KafkaTopic topic = manifests.get(spec.name());
            assertEquals(spec.partitions(), (int) topic.getSpec().getPartitions(), spec.name());
            assertEquals((int) KafkaTopicGenerator.REPLICATION_FACTOR, (int) topic.getSpec().getReplicas(), spec.name());
            Map<String, String> expected = new TreeMap<>(spec.configs());
            expected.putIfAbsent("min.insync.replicas", Integer.toString(KafkaTopicGenerator.MIN_INSYNC_REPLICAS));
            assertEquals(expected, configs(topic), spec.name());
        }
    }

    /** The event log is the single source of truth: never compacted, never expired, replicated. */
    @ParameterizedTest(name = "events: {0} = {1}")
    @CsvSource({
        "cleanup.policy, delete",
        "retention.ms, -1",
        "retention.bytes, -1",
        "min.insync.replicas, 2",
    })
    void eventsTopicIsAnUnlimitedDeleteLog(String key, String expected) {
        KafkaTopic events = topicsByName(Manifests.BASE).get(Topics.defaults().events().name());
        assertNotNull(events, "no KafkaTopic for " + Topics.defaults().events().name());
        assertEquals(expected, configs(events).get(key));
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void topicsBelongToTheClusterAndFitItsBrokers(String kustomization) {
        List<ObjectNode> resources = Manifests.render(kustomization);
        Kafka kafka = Yaml.convert(Manifests.one(resources, "Kafka"), Kafka.class);
        int brokers = Manifests.ofKind(resources, "KafkaNodePool").stream()
                .map(doc -> Yaml.convert(doc, KafkaNodePool.class))
                .filter(p -> p.getMetadata().getLabels().get("strimzi.io/cluster").equals(kafka.getMetadata().getName()))
                .filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        for (KafkaTopic topic : topicsByName(kustomization).values()) {
            String name = topic.getSpec().getTopicName();
            assertEquals(kafka.getMetadata().getName(), topic.getMetadata().getLabels().get("strimzi.io/cluster"), name);
            assertTrue(topic.getSpec().getReplicas() <= brokers, name + ": " + topic.getSpec().getReplicas()
                    + " replicas on " + brokers + " brokers");
            int minIsr = Integer.parseInt(configs(topic).get("min.insync.replicas"));
            assertTrue(minIsr < topic.getSpec().getReplicas(), name + ": min.insync.replicas " + minIsr
                    + " leaves no broker to lose");
        }
    }

    @Test
    void resourceNamesAreValidKubernetesNames() {
        for (TopicSpec spec : Topics.defaults().all()) {
            assertTrue(KafkaTopicGenerator.resourceName(spec.name()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"), spec.name());
        }
        assertEquals("it-42.ocsp.dead-letters", KafkaTopicGenerator.resourceName("IT_42.ocsp.dead-letters"));
    }
}
