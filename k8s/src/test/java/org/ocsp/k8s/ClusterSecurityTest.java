package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.ocsp.flink.job.JobSettingDef;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.Topics;

/**
 * What a security review of the cluster asks (issue 19): authenticated TLS only, an ACL set per
 * principal that follows from the job's own topic and id definitions, the job's client settings
 * mounted from Secrets, hardened pods, Flink's unauthenticated ports closed to everyone else.
 */
class ClusterSecurityTest {
    static final List<String> ALL = Manifests.ALL;

    @ParameterizedTest
    @FieldSource("ALL")
    void kafkaListensOnlyOnTlsWithScramAndAuthorizesEveryRequest(String k) {
        Kafka kafka = Yaml.convert(Manifests.one(Manifests.render(k), "Kafka"), Kafka.class);
        for (GenericKafkaListener l : kafka.getSpec().getKafka().getListeners()) {
            assertTrue(l.isTls(), k + ": listener " + l.getName() + " is not TLS");
            assertTrue(l.getAuth() instanceof KafkaListenerAuthenticationScramSha512,
                    k + ": listener " + l.getName() + " does not authenticate with SCRAM-SHA-512");
        }
        assertTrue(kafka.getSpec().getKafka().getAuthorization() instanceof KafkaAuthorizationSimple, k);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void eachPrincipalMayDoOnlyItsJob(String k) {
        Topics t = Topics.defaults();
        String batches = t.batches().name();
        String events = t.events().name();
        String requests = t.runRequests().name();
        String deadLetters = t.deadLetters().name();
        Map<String, Set<String>> acls = new HashMap<>();
        for (ObjectNode doc : Manifests.ofKind(Manifests.render(k), "KafkaUser")) {
            KafkaUser u = Yaml.convert(doc, KafkaUser.class);
            Set<String> rules = new TreeSet<>();
            for (AclRule r : ((KafkaUserAuthorizationSimple) u.getSpec().getAuthorization()).getAcls()) {
                String resource = r.getResource() instanceof AclRuleTopicResource topic ? "topic:" + topic.getName()
                        : r.getResource() instanceof AclRuleGroupResource g ? "group:" + g.getName() + "*"
                        : r.getResource() instanceof AclRuleTransactionalIdResource x ? "txn:" + x.getName() + "*"
                        : "cluster";
                for (AclOperation op : r.getOperations()) {
                    assertFalse(op == AclOperation.ALL, k + ": " + u.getMetadata().getName() + " has ALL on " + resource);
                    rules.add(resource + " " + op);
                }
            }
            acls.put(u.getMetadata().getName(), rules);
        }
        String group = JobSettingDef.GROUP_ID.defaultValue().orElseThrow();
        String txn = JobSettingDef.TRANSACTIONAL_ID_PREFIX.defaultValue().orElseThrow();
        assertEquals(new TreeSet<>(Set.of("topic:" + batches + " READ", "topic:" + batches + " DESCRIBE",
                "topic:" + requests + " READ", "topic:" + requests + " DESCRIBE", "topic:" + events + " READ", "topic:" + events + " WRITE", "topic:" + events + " DESCRIBE",
                "topic:" + deadLetters + " WRITE", "topic:" + deadLetters + " DESCRIBE",
                "group:" + group + "* READ", "group:" + group + "* DESCRIBE", "txn:" + txn + "* WRITE",
                "txn:" + txn + "* DESCRIBE", "cluster IDEMPOTENTWRITE")), acls.get("ocsp-trainer"), k);
        assertEquals(new TreeSet<>(Set.of("topic:" + batches + " WRITE", "topic:" + batches + " DESCRIBE",
                "cluster IDEMPOTENTWRITE")), acls.get("ocsp-publisher"), k);
        // The operator asks (run-requests) and follows (events); only the job writes the log.
        assertEquals(new TreeSet<>(Set.of("topic:" + requests + " WRITE", "topic:" + requests + " DESCRIBE",
                "topic:" + events + " READ", "topic:" + events + " DESCRIBE", "cluster IDEMPOTENTWRITE")),
                acls.get("ocsp-operator"), k);
        assertEquals(new TreeSet<>(Set.of("topic:" + events + " READ", "topic:" + events + " DESCRIBE")),
                acls.get("ocsp-auditor"), k);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void theJobReachesKafkaAsItsUserWithSecretsMountedNotWritten(String k) throws Exception {
        List<ObjectNode> docs = Manifests.render(k);
        JsonNode spec = Manifests.one(docs, "FlinkDeployment").path("spec");
        List<String> args = new ArrayList<>();
        spec.path("job").path("args").forEach(a -> args.add(a.asText()));
        String configFile = args.get(args.indexOf("--command-config") + 1);
        PodTemplateSpec pod = Yaml.convert(spec.path("podTemplate"), PodTemplateSpec.class);
        Map<String, String> mounts = new HashMap<>(); // mount path -> volume
        pod.getSpec().getContainers().get(0).getVolumeMounts().forEach(m -> mounts.put(m.getMountPath(), m.getName()));
        Map<String, io.fabric8.kubernetes.api.model.Volume> volumes = new HashMap<>();
        pod.getSpec().getVolumes().forEach(v -> volumes.put(v.getName(), v));

        String dir = configFile.substring(0, configFile.lastIndexOf('/'));
        io.fabric8.kubernetes.api.model.Volume configVolume = volumes.get(mounts.get(dir));
        assertNotNull(configVolume, k + ": --command-config " + configFile + " is not on a mounted volume");
        ConfigMap cm = Yaml.convert(Manifests.ofKind(docs, "ConfigMap").stream()
                .filter(d -> d.path("metadata").path("name").asText().equals(configVolume.getConfigMap().getName()))
                .findFirst().orElseThrow(), ConfigMap.class);
        String text = cm.getData().get(configFile.substring(configFile.lastIndexOf('/') + 1));
        Properties client = new Properties();
        client.load(new StringReader(text));
        assertEquals("SASL_SSL", client.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.getProperty("sasl.mechanism"));
        Map<String, String> settings = new HashMap<>();
        client.stringPropertyNames().forEach(n -> settings.put(n, client.getProperty(n)));
        new KafkaConnection("ocsp-kafka-kafka-bootstrap:9093", settings); // no setting the job fixes itself

        // Every secret is a reference to a mounted Secret: the KafkaUser's, and the cluster CA's.
        Matcher ref = Pattern.compile("\\$\\{dir:([^:}]+):([^}]+)}").matcher(text);
        Set<String> secrets = new HashSet<>();
        while (ref.find()) {
            io.fabric8.kubernetes.api.model.Volume v = volumes.get(mounts.get(ref.group(1)));
            assertNotNull(v, k + ": " + ref.group(1) + " is not mounted");
            assertNotNull(v.getSecret(), k + ": " + ref.group(1) + " is not a Secret");
            secrets.add(v.getSecret().getSecretName());
        }
        assertFalse(text.matches("(?s).*password=(?!\\$\\{).*"), k + ": a password is written in the ConfigMap");
        assertTrue(secrets.contains("ocsp-trainer"), k + ": the job's SCRAM credentials are KafkaUser ocsp-trainer's");
        assertTrue(secrets.contains("ocsp-kafka-cluster-ca-cert"), k + ": the truststore is the cluster CA's");
        assertTrue(Manifests.ofKind(docs, "KafkaUser").stream()
                .anyMatch(u -> u.path("metadata").path("name").asText().equals("ocsp-trainer")));
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void podsHaveAReadOnlyRootTaskManagersNoApiTokenAndRocksDbABoundedDisk(String k) {
        JsonNode spec = Manifests.one(Manifests.render(k), "FlinkDeployment").path("spec");
        PodTemplateSpec pod = Yaml.convert(spec.path("podTemplate"), PodTemplateSpec.class);
        var container = pod.getSpec().getContainers().get(0);
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem(), k);
        String tmp = spec.path("flinkConfiguration").path("io.tmp.dirs").asText();
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(tmp)),
                k + ": io.tmp.dirs " + tmp + " (RocksDB's local directories) is not a mounted writable volume");
        for (var v : pod.getSpec().getVolumes()) {
            if (v.getEmptyDir() != null) {
                assertNotNull(v.getEmptyDir().getSizeLimit(), k + ": emptyDir " + v.getName() + " has no size limit");
            }
        }
        PodTemplateSpec tm = Yaml.convert(spec.path("taskManager").path("podTemplate"), PodTemplateSpec.class);
        assertEquals(Boolean.FALSE, tm.getSpec().getAutomountServiceAccountToken(), k);
        var resources = container.getResources();
        assertNotNull(resources.getRequests().get("ephemeral-storage"), k);
        assertNotNull(resources.getLimits().get("ephemeral-storage"), k);
        assertTrue(spec.path("flinkConfiguration").path("s3.endpoint").asText().startsWith("https://"), k);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void flinksUnauthenticatedPortsAreReachableOnlyFromTheJobsOwnPods(String k) {
        List<ObjectNode> docs = Manifests.render(k);
        JsonNode conf = Manifests.one(docs, "FlinkDeployment").path("spec").path("flinkConfiguration");
        NetworkPolicy np = Yaml.convert(Manifests.one(docs, "NetworkPolicy"), NetworkPolicy.class);
        assertEquals(Map.of("app", "ocsp-trainer"), np.getSpec().getPodSelector().getMatchLabels(), k);
        Map<Integer, List<NetworkPolicyIngressRule>> byPort = new HashMap<>();
        for (NetworkPolicyIngressRule r : np.getSpec().getIngress()) {
            assertFalse(r.getFrom() == null || r.getFrom().isEmpty(), k + ": an ingress rule open to everyone");
            for (NetworkPolicyPort p : r.getPorts()) {
                byPort.computeIfAbsent(p.getPort().getIntVal(), x -> new ArrayList<>()).add(r);
            }
        }
        for (String key : List.of("jobmanager.rpc.port", "blob.server.port", "taskmanager.rpc.port", "taskmanager.data.port")) {
            int port = Integer.parseInt(conf.path(key).asText());
            List<NetworkPolicyIngressRule> rules = byPort.get(port);
            assertNotNull(rules, k + ": " + key + " " + port + " is not allowed at all (the job could not run)");
            for (NetworkPolicyIngressRule r : rules) {
                r.getFrom().forEach(peer -> {
                    assertEquals(null, peer.getNamespaceSelector(), k + ": " + key + " open to another namespace");
                    assertEquals(Map.of("app", "ocsp-trainer"), peer.getPodSelector().getMatchLabels(), k + ": " + key);
                });
            }
        }
        assertTrue(byPort.containsKey(8081), k + ": REST is reachable from the operator");
        byPort.get(8081).forEach(r -> r.getFrom().forEach(peer -> assertEquals(null, peer.getPodSelector(),
                k + ": REST from pods of this namespace")));
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void theNamespaceEnforcesTheRestrictedPodSecurityStandard(String k) {
        Namespace ns = Yaml.convert(Manifests.one(Manifests.render(k), "Namespace"), Namespace.class);
        assertEquals("restricted", ns.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"), k);
    }
}
