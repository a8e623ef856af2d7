package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import org.ocsp.flink.cli.JobCommand;
import org.ocsp.flink.topics.Topics;
import picocli.CommandLine;

/** The FlinkDeployment of the base and of every overlay: the settings issue 6 asks for. */
class FlinkDeploymentTest {
    static final List<String> ALL = Manifests.ALL;

    private static ObjectNode deployment(String kustomization) {
        return Manifests.one(Manifests.render(kustomization), "FlinkDeployment");
    }

    private static JsonNode conf(String kustomization) {
        return deployment(kustomization).path("spec").path("flinkConfiguration");
    }

    private static String confValue(String kustomization, String key) {
        JsonNode v = conf(kustomization).get(key);
        assertNotNull(v, kustomization + ": flinkConfiguration sets no " + key);
        return v.asText();
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void imageTagIsTheProjectVersion(String kustomization) {
        String image = deployment(kustomization).path("spec").path("image").asText();
        int colon = image.lastIndexOf(':');
        assertTrue(colon > image.lastIndexOf('/'), kustomization + ": image " + image + " has no tag");
        assertEquals(Manifests.projectVersion(), image.substring(colon + 1), kustomization + ": tag of image " + image);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void runsInApplicationModeOnFlink22(String kustomization) {
        JsonNode spec = deployment(kustomization).path("spec");
        assertEquals("v2_2", spec.path("flinkVersion").asText(), kustomization);
        assertTrue(spec.has("job"), kustomization + ": no spec.job, so a session cluster (stack.md trap 6)");
        assertEquals("running", spec.path("job").path("state").asText(), kustomization);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void jarIsTheJobJarInUsrlib(String kustomization) {
        assertEquals("local:///opt/flink/usrlib/flink-job-" + Manifests.projectVersion() + ".jar",
                deployment(kustomization).path("spec").path("job").path("jarURI").asText(), kustomization);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void entryClassIsTheJobsMainInTheFlinkJobArtifact(String kustomization) throws Exception {
        String entryClass = deployment(kustomization).path("spec").path("job").path("entryClass").asText();
        Class<?> c;
        try {
            c = Class.forName(entryClass, false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(kustomization + ": entry class " + entryClass + " is not in the flink-job artifact", e);
        }
        Method main = c.getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()),
                entryClass + ".main must be public static");
        Path location = location(c);
        String resource = entryClass.replace('.', '/') + ".class";
        if (Files.isRegularFile(location)) {
            assertTrue(location.getFileName().toString().startsWith("flink-job-"), entryClass + " comes from " + location);
            try (JarFile jar = new JarFile(location.toFile())) {
                assertNotNull(jar.getEntry(resource), location + " has no " + resource);
            }
        } else {
            // Reactor build without packaging (mvn test): flink-job/target/classes.
            assertTrue(location.toString().contains("flink-job"), entryClass + " comes from " + location);
            assertTrue(Files.isRegularFile(location.resolve(resource)), location + " has no " + resource);
        }
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        assertNotNull(source, c + " has no code source");
        URL url = source.getLocation();
        return Path.of(url.toURI());
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void restartsAreBoundedAsTheJobDeclaresThem(String kustomization) {
        java.util.Map<String, String> given = new java.util.HashMap<>();
        conf(kustomization).fields().forEachRemaining(f -> given.put(f.getKey(), f.getValue().asText()));
        org.apache.flink.configuration.Configuration k8s = org.apache.flink.configuration.Configuration.fromMap(given);
        org.apache.flink.configuration.Configuration declared = org.ocsp.flink.job.RestartPolicy.configuration();
        for (org.apache.flink.configuration.ConfigOption<?> o : org.ocsp.flink.job.RestartPolicy.OPTIONS) {
            assertTrue(k8s.contains(o), kustomization + ": flinkConfiguration sets no " + o.key());
            assertEquals(declared.get(o), k8s.get(o), kustomization + ": " + o.key());
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void stateIsRocksDbWithIncrementalCheckpointsOnS3(String kustomization) {
        assertEquals("rocksdb", confValue(kustomization, "state.backend.type"));
        assertEquals("true", confValue(kustomization, "execution.checkpointing.incremental"));
        assertTrue(confValue(kustomization, "execution.checkpointing.dir").startsWith("s3://"), kustomization);
        assertTrue(confValue(kustomization, "execution.checkpointing.savepoint-dir").startsWith("s3://"), kustomization);
        assertEquals("EXACTLY_ONCE", confValue(kustomization, "execution.checkpointing.mode"));
        assertEquals("RETAIN_ON_CANCELLATION", confValue(kustomization, "execution.checkpointing.externalized-checkpoint-retention"));
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void highAvailabilityIsKubernetesWithStorageOnS3(String kustomization) {
        assertEquals("kubernetes", confValue(kustomization, "high-availability.type"));
        assertTrue(confValue(kustomization, "high-availability.storageDir").startsWith("s3://"), kustomization);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void upgradesKeepTheState(String kustomization) {
        String mode = deployment(kustomization).path("spec").path("job").path("upgradeMode").asText();
        assertTrue(mode.equals("savepoint") || mode.equals("last-state"), kustomization + ": upgradeMode " + mode
                + " loses the state on upgrade");
        assertFalse(deployment(kustomization).path("spec").path("job").path("allowNonRestoredState").asBoolean(false),
                kustomization + ": allowNonRestoredState would drop state that no operator claims");
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void jobManagerAndTaskManagerHaveResources(String kustomization) {
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode resource = deployment(kustomization).path("spec").path(role).path("resource");
            assertTrue(resource.path("cpu").asDouble(0) > 0, kustomization + ": " + role + ".resource.cpu");
            assertTrue(resource.path("memory").asText().matches("\\d+(m|g|Mi|Gi)"), kustomization + ": " + role
                    + ".resource.memory " + resource.path("memory"));
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void prometheusReporterIsOnAndScraped(String kustomization) {
        assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                confValue(kustomization, "metrics.reporter.prom.factory.class"));
        String port = confValue(kustomization, "metrics.reporter.prom.port");
        JsonNode annotations = deployment(kustomization).path("spec").path("podTemplate").path("metadata").path("annotations");
        assertEquals(port, annotations.path("prometheus.io/port").asText(), kustomization);
        assertEquals("true", annotations.path("prometheus.io/scrape").asText(), kustomization);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void nd4jAndJavaCppLoadParentFirst(String kustomization) {
        List<String> patterns = Arrays.asList(confValue(kustomization, "classloader.parent-first-patterns.additional").split(";"));
        assertTrue(patterns.contains("org.nd4j."), kustomization + ": " + patterns);
        assertTrue(patterns.contains("org.bytedeco."), kustomization + ": " + patterns);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void bootstrapServersAreTheStrimziBootstrapService(String kustomization) {
        List<String> args = new ArrayList<>();
        deployment(kustomization).path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));
        int i = args.indexOf("--bootstrap-servers");
        assertTrue(i >= 0 && i + 1 < args.size(), kustomization + ": job args " + args + " have no --bootstrap-servers");
        Kafka kafka = Yaml.convert(Manifests.one(Manifests.render(kustomization), "Kafka"), Kafka.class);
        GenericKafkaListener tls = kafka.getSpec().getKafka().getListeners().stream()
                .filter(GenericKafkaListener::isTls).findFirst()
                .orElseThrow(() -> new AssertionError("Kafka " + kafka.getMetadata().getName() + " has no TLS listener"));
        assertEquals(kafka.getMetadata().getName() + "-kafka-bootstrap:" + tls.getPort(), args.get(i + 1), kustomization);
    }

    /** Every key is a Flink 2.2 option (not a deprecated or removed one), or a plugin's / the operator's. */
    @ParameterizedTest
    @FieldSource("ALL")
    void flinkConfigurationUsesCurrentFlinkKeys(String kustomization) {
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = conf(kustomization).fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (FlinkOptions.otherKeyReason(key).isPresent()) {
                continue;
            }
            FlinkOptions.lookup(key).ifPresentOrElse(
                    l -> l.replacedBy().ifPresent(now -> problems.add(key + " is deprecated: use " + now)),
                    () -> problems.add(key + " is no Flink " + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
                            + " option"));
        }
        if (!problems.isEmpty()) {
            fail(kustomization + ": " + problems);
        }
    }

    /**
     * The args parse as the entry class's own command line (picocli, as TrainerJobMain does) and
     * agree with the rest of the deployment: the job sets parallelism and checkpoint interval
     * itself, so they must equal spec.job.parallelism and the cluster's interval; topics belong to
     * Strimzi; models go to a mounted persistent volume.
     */
    @ParameterizedTest
    @FieldSource("ALL")
    void jobArgumentsParseAsTheJobsCommandLineAndAgreeWithTheDeployment(String kustomization) {
        JsonNode spec = deployment(kustomization).path("spec");
        List<String> args = new ArrayList<>();
        spec.path("job").path("args").forEach(a -> args.add(a.asText()));
        CommandLine.ParseResult parsed = new CommandLine(new JobCommand()).parseArgs(args.toArray(new String[0]));
        assertEquals(spec.path("job").path("parallelism").asInt(), (int) parsed.matchedOptionValue("--parallelism", 1),
                kustomization + ": --parallelism");
        long intervalMs = TimeUtils.parseDuration(confValue(kustomization, "execution.checkpointing.interval")).toMillis();
        assertEquals(intervalMs, (long) parsed.matchedOptionValue("--checkpoint-interval-ms", 0L), kustomization);
        long timeoutMs = TimeUtils.parseDuration(confValue(kustomization, "execution.checkpointing.timeout")).toMillis();
        assertTrue(intervalMs + timeoutMs < Long.parseLong(org.ocsp.flink.job.TrainerJob.TRANSACTION_TIMEOUT_MS),
                kustomization + ": checkpoint interval + timeout must stay below the sink's transaction timeout, or the "
                        + "broker aborts a pre-committed transaction with its decisions");
        assertEquals(Boolean.FALSE, parsed.commandSpec().findOption("--create-topics").getValue(),
                kustomization + ": the job must not create topics; Strimzi's KafkaTopic resources do");
        assertEquals(Topics.DEFAULT_PREFIX, parsed.matchedOptionValue("--topic-prefix", Topics.DEFAULT_PREFIX), kustomization);
        String modelDir = parsed.matchedOptionValue("--model-dir", "(unset)");
        JsonNode container = spec.path("podTemplate").path("spec").path("containers").get(0);
        String volume = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if (modelDir.equals(m.path("mountPath").asText())) {
                volume = m.path("name").asText();
            }
        }
        assertNotNull(volume, kustomization + ": --model-dir " + modelDir + " is not a mounted volume");
        String claim = null;
        for (JsonNode v : spec.path("podTemplate").path("spec").path("volumes")) {
            if (volume.equals(v.path("name").asText())) {
                claim = v.path("persistentVolumeClaim").path("claimName").asText(null);
            }
        }
        assertNotNull(claim, kustomization + ": volume " + volume + " for the models is not persistent");
        String claimName = claim;
        assertTrue(Manifests.ofKind(Manifests.render(kustomization), "PersistentVolumeClaim").stream()
                .anyMatch(c -> claimName.equals(c.path("metadata").path("name").asText())), kustomization + ": no PVC " + claim);
        // The signing key is a file of a read-only Secret volume, never an argument or an environment value.
        String keyFile = parsed.matchedOptionValue("--signing-key-file", "(unset)");
        JsonNode keyMount = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if (keyFile.startsWith(m.path("mountPath").asText() + "/")) {
                keyMount = m;
            }
        }
        assertNotNull(keyMount, kustomization + ": --signing-key-file " + keyFile + " is not in a mounted volume");
        assertTrue(keyMount.path("readOnly").asBoolean(), kustomization + ": the signing key's volume must be read-only");
        String keyVolume = keyMount.path("name").asText();
        JsonNode secret = null;
        for (JsonNode v : spec.path("podTemplate").path("spec").path("volumes")) {
            if (keyVolume.equals(v.path("name").asText())) {
                secret = v.path("secret");
            }
        }
        assertTrue(secret != null && secret.has("secretName"), kustomization + ": the signing key must come from a Secret");
        assertEquals(0400, secret.path("defaultMode").asInt(), kustomization + ": the key file is readable by its owner only");
    }

    /**
     * ND4J allocates off-heap through JavaCPP: Flink reserves task off-heap memory for it,
     * JavaCPP's own cap stays within that reservation, and JavaCPP's process cap within the pod.
     */
    @ParameterizedTest
    @FieldSource("ALL")
    void nd4jOffHeapMemoryIsBudgeted(String kustomization) {
        MemorySize offHeap = MemorySize.parse(confValue(kustomization, "taskmanager.memory.task.off-heap.size"));
        String opts = confValue(kustomization, "env.java.opts.taskmanager");
        MemorySize maxBytes = MemorySize.parse(javaProperty(opts, "org.bytedeco.javacpp.maxbytes", kustomization));
        MemorySize maxPhysical = MemorySize.parse(javaProperty(opts, "org.bytedeco.javacpp.maxphysicalbytes", kustomization));
        MemorySize process = MemorySize.parse(deployment(kustomization).path("spec").path("taskManager").path("resource")
                .path("memory").asText());
        assertTrue(maxBytes.compareTo(offHeap) <= 0, kustomization + ": JavaCPP maxbytes " + maxBytes + " > task off-heap " + offHeap);
        assertTrue(maxPhysical.compareTo(process) < 0, kustomization + ": JavaCPP maxphysicalbytes " + maxPhysical
                + " not below the task manager's " + process);
        assertTrue(offHeap.compareTo(process) < 0, kustomization);
    }

    private static String javaProperty(String opts, String name, String kustomization) {
        for (String opt : opts.split("\\s+")) {
            if (opt.startsWith("-D" + name + "=")) {
                return opt.substring(name.length() + 3);
            }
        }
        throw new AssertionError(kustomization + ": env.java.opts.taskmanager sets no -D" + name + ": " + opts);
    }
}
