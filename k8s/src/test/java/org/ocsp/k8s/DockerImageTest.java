package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The job image definitions, checked statically (no Docker engine here): Flink 2.2 Java 17 base,
 * ND4J in lib/ loaded parent-first, the job jar in usrlib/, non-root user 9999; the GPU variant
 * built with the cuda profile. Plus the class-path split the build stage runs, executed for real.
 */
class DockerImageTest {
    private static final String PARENT_FIRST = "classloader.parent-first-patterns.additional: org.nd4j.;org.bytedeco.";

    private static Dockerfile dockerfile(String name) {
        return Dockerfile.read(Manifests.file("deploy/docker/" + name));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Dockerfile", "Dockerfile.gpu"})
    void baseIsTheOfficialFlinkImageOfTheJobsFlinkOnJava17(String name) {
        assertEquals("flink:" + EnvironmentInformation.getVersion() + "-java17", dockerfile(name).finalStage().from());
    }

    @ParameterizedTest(name = "{0}: cuda profile {1}")
    @CsvSource({"Dockerfile, false", "Dockerfile.gpu, true"})
    void buildStageAssemblesWithTheRightNd4jBackend(String name, boolean cuda) {
        List<String> runs = dockerfile(name).stage("build").all("RUN");
        assertTrue(runs.stream().anyMatch(r -> r.contains("deploy/docker/assemble.sh /image")), name + ": " + runs);
        assertEquals(cuda, runs.stream().anyMatch(r -> r.contains("-Pcuda")), name + ": " + runs);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Dockerfile", "Dockerfile.gpu"})
    void nd4jGoesToLibAndTheJobToUsrlib(String name) {
        List<String> copies = dockerfile(name).finalStage().all("COPY");
        assertTrue(copies.contains("--from=build --chown=root:root /image/lib/ /opt/flink/lib/"), name + ": " + copies);
        assertTrue(copies.contains("--from=build --chown=root:root /image/usrlib/ /opt/flink/usrlib/"), name + ": " + copies);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Dockerfile", "Dockerfile.gpu"})
    void nd4jLoadsParentFirstAndS3IsPluggedIn(String name) {
        String runs = String.join("\n", dockerfile(name).finalStage().all("RUN"));
        assertTrue(runs.contains(PARENT_FIRST), name);
        assertTrue(runs.contains("/opt/flink/plugins/s3-fs-hadoop/"), name + ": no S3 file system plugin for checkpoints");
        assertTrue(runs.contains("test -d /opt/flink/plugins/metrics-prometheus"), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Dockerfile", "Dockerfile.gpu"})
    void runsAsTheNonRootFlinkUser(String name) {
        assertEquals(SecretsAndSecurityTest.FLINK_UID + ":" + SecretsAndSecurityTest.FLINK_UID,
                dockerfile(name).finalStage().last("USER"));
    }

    @Test
    void gpuImageCarriesTheCudaRuntimeForTheNvidiaContainerRuntime() {
        Dockerfile.Stage stage = dockerfile("Dockerfile.gpu").finalStage();
        String env = String.join(" ", stage.all("ENV"));
        assertTrue(env.contains("LD_LIBRARY_PATH=/usr/local/cuda/lib64"), env);
        assertTrue(env.contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility"), env);
        assertFalse(env.contains("NVIDIA_VISIBLE_DEVICES"), "the device plugin sets NVIDIA_VISIBLE_DEVICES per pod: " + env);
        assertTrue(stage.all("COPY").contains("--from=build --chown=root:root /image/cuda/ /usr/local/cuda/lib64/"),
                stage.all("COPY").toString());
        assertTrue(String.join("\n", stage.all("RUN")).contains("external-resource-gpu/nvidia-gpu-discovery.sh"));
    }

    /** The build command in each Dockerfile's header tags the image the overlays deploy. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"Dockerfile, overlays/cpu-small", "Dockerfile.gpu, overlays/gpu"})
    void documentedTagIsTheDeployedImage(String name, String kustomization) {
        String image = Manifests.one(Manifests.render(kustomization), "FlinkDeployment").path("spec").path("image").asText();
        String text = Yaml.read(Manifests.file("deploy/docker/" + name));
        assertTrue(text.contains("docker build -f deploy/docker/" + name + " -t " + image + " ."), name + " does not build " + image);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Dockerfile", "Dockerfile.gpu"})
    void buildContextLeavesOutBuildOutput(String name) {
        List<String> ignored = Yaml.read(Manifests.file("deploy/docker/" + name + ".dockerignore")).lines()
                .collect(Collectors.toList());
        assertTrue(ignored.contains("**/target") && ignored.contains(".git"), ignored.toString());
    }

    /** lib/ must hold exactly the ND4J that model-ops uses: same artifacts, classifier and exclusions. */
    @Test
    void nd4jLibDeclaresModelOpsNd4jDependencies() throws Exception {
        assertEquals(nd4jDependencies("model-ops/pom.xml"), nd4jDependencies("deploy/docker/nd4j-lib/pom.xml"));
    }

    private static List<String> nd4jDependencies(String pom) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Manifests.file(pom).toFile());
        NodeList deps = doc.getElementsByTagName("dependency");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (d.getParentNode().getParentNode().getNodeName().equals("project")
                    && "org.nd4j".equals(text(d, "groupId"))) {
                out.add(d.getTextContent().replaceAll("\\s+", ""));
            }
        }
        assertFalse(out.isEmpty(), pom + " declares no ND4J");
        return out;
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }

    @Test
    void assembleScriptIsValidBash() throws Exception {
        assertEquals(0, run(List.of("bash", "-n", Manifests.file("deploy/docker/assemble.sh").toString())).exit);
    }

    /** The split puts ND4J (and what it needs) in lib/, the job and its own dependencies in usrlib/, Flink nowhere. */
    @Test
    void splitPutsNd4jInLibAndTheRestInUsrlib(@TempDir Path dir) throws Exception {
        Path job = jars(dir.resolve("job"), "org.ocsp.flink-job-0.1.0-SNAPSHOT.jar", "org.nd4j.nd4j-api-1.0.0-M2.1.jar",
                "org.bytedeco.javacpp-1.5.7.jar", "com.google.flatbuffers.flatbuffers-java-1.12.0.jar",
                "org.apache.kafka.kafka-clients-4.2.2.jar", "org.apache.flink.flink-connector-kafka-5.0.0-2.2.jar",
                "org.apache.flink.flink-core-2.2.1.jar", "com.esotericsoftware.kryo-5.6.2.jar", "org.slf4j.slf4j-api-1.7.36.jar",
                "org.ocsp.model-ops-0.1.0-SNAPSHOT.jar");
        Path nd4j = jars(dir.resolve("nd4j"), "org.nd4j.nd4j-api-1.0.0-M2.1.jar", "org.bytedeco.javacpp-1.5.7.jar",
                "com.google.flatbuffers.flatbuffers-java-1.12.0.jar");
        Path flink = jars(dir.resolve("flink"), "org.apache.flink.flink-core-2.2.1.jar", "com.esotericsoftware.kryo-5.6.2.jar");
        Path out = dir.resolve("image");
        Result r = run(List.of("bash", Manifests.file("deploy/docker/assemble.sh").toString(), "--split",
                job.toString(), nd4j.toString(), flink.toString(), out.toString()));
        assertEquals(0, r.exit, r.output);
        assertEquals(Set.of("org.nd4j.nd4j-api-1.0.0-M2.1.jar", "org.bytedeco.javacpp-1.5.7.jar",
                "com.google.flatbuffers.flatbuffers-java-1.12.0.jar"), names(out.resolve("lib")));
        // The job jar keeps the name the FlinkDeployment's jarURI uses.
        assertEquals(Set.of("flink-job-0.1.0-SNAPSHOT.jar", "org.apache.kafka.kafka-clients-4.2.2.jar",
                "org.apache.flink.flink-connector-kafka-5.0.0-2.2.jar", "org.ocsp.model-ops-0.1.0-SNAPSHOT.jar"),
                names(out.resolve("usrlib")));
    }

    @Test
    void splitFailsWithoutTheJobJar(@TempDir Path dir) throws Exception {
        Path job = jars(dir.resolve("job"), "org.apache.kafka.kafka-clients-4.2.2.jar");
        Path nd4j = jars(dir.resolve("nd4j"), "org.nd4j.nd4j-api-1.0.0-M2.1.jar");
        Path flink = jars(dir.resolve("flink"), "org.apache.flink.flink-core-2.2.1.jar");
        Result r = run(List.of("bash", Manifests.file("deploy/docker/assemble.sh").toString(), "--split",
                job.toString(), nd4j.toString(), flink.toString(), dir.resolve("image").toString()));
        assertTrue(r.exit != 0, "split without a job jar must fail: " + r.output);
    }

    private static Path jars(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String n : names) {
            Files.writeString(dir.resolve(n), n);
        }
        return dir;
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), output);
    }
}
