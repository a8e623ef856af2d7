package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.ocsp.flink.job.TrainerJob;

/** Strimzi Kafka in KRaft mode with node pools, set up for the job's exactly-once sink. */
class KafkaClusterTest {
    static final List<String> ALL = Manifests.ALL;

    private static Kafka kafka(String k) {
        return Yaml.convert(Manifests.one(Manifests.render(k), "Kafka"), Kafka.class);
    }

    private static List<KafkaNodePool> pools(String k) {
        return Manifests.ofKind(Manifests.render(k), "KafkaNodePool").stream()
                .map(doc -> Yaml.convert(doc, KafkaNodePool.class)).collect(Collectors.toList());
    }

    private static int replicas(String k, ProcessRoles role) {
        return pools(k).stream().filter(p -> p.getSpec().getRoles().contains(role)).mapToInt(p -> p.getSpec().getReplicas()).sum();
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void kraftQuorumOfControllersAndBrokersInNodePools(String k) {
        int controllers = replicas(k, ProcessRoles.CONTROLLER);
        assertTrue(controllers >= 3 && controllers % 2 == 1, k + ": " + controllers + " KRaft controllers, want an odd number >= 3");
        assertTrue(replicas(k, ProcessRoles.BROKER) >= 3, k + ": fewer than 3 brokers for replication factor 3");
        for (KafkaNodePool pool : pools(k)) {
            assertEquals(kafka(k).getMetadata().getName(), pool.getMetadata().getLabels().get("strimzi.io/cluster"),
                    k + ": node pool " + pool.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void brokerVersionIsTheClientsMinorVersion(String k) {
        // stack.md: the exactly-once sink needs kafka-clients 4.2.x; the brokers run the same minor.
        String client = AppInfoParser.getVersion();
        String broker = kafka(k).getSpec().getKafka().getVersion();
        assertEquals(minor(client), minor(broker), k + ": broker " + broker + ", clients " + client);
        assertTrue(kafka(k).getSpec().getKafka().getMetadataVersion().startsWith(minor(broker) + "-"), k);
    }

    private static String minor(String version) {
        String[] parts = version.split("\\.");
        return parts[0] + "." + parts[1];
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void brokersAcceptTheExactlyOnceSinksTransactions(String k) {
        Map<String, Object> config = kafka(k).getSpec().getKafka().getConfig();
        long maxTimeout = Long.parseLong(String.valueOf(config.get("transaction.max.timeout.ms")));
        assertTrue(maxTimeout >= Long.parseLong(TrainerJob.TRANSACTION_TIMEOUT_MS), k + ": transaction.max.timeout.ms "
                + maxTimeout + " < the sink's " + TrainerJob.TRANSACTION_TIMEOUT_MS);
        assertEquals("2", String.valueOf(config.get("transaction.state.log.min.isr")), k);
        assertEquals("3", String.valueOf(config.get("transaction.state.log.replication.factor")), k);
        assertEquals("2", String.valueOf(config.get("min.insync.replicas")), k);
        assertEquals("false", String.valueOf(config.get("auto.create.topics.enable")), k + ": topics come from KafkaTopic resources");
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void topicOperatorManagesTheTopics(String k) {
        assertFalse(kafka(k).getSpec().getEntityOperator() == null || kafka(k).getSpec().getEntityOperator().getTopicOperator() == null,
                k + ": without the topic operator the KafkaTopic resources do nothing");
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void everyNodePoolKeepsItsDisks(String k) {
        for (ObjectNode pool : Manifests.ofKind(Manifests.render(k), "KafkaNodePool")) {
            pool.path("spec").path("storage").path("volumes").forEach(v -> {
                assertEquals("persistent-claim", v.path("type").asText(), k + ": " + Manifests.describe(pool));
                assertFalse(v.path("deleteClaim").asBoolean(true), k + ": " + Manifests.describe(pool)
                        + ": deleting the Kafka resource would delete the event log");
            });
        }
    }
}
