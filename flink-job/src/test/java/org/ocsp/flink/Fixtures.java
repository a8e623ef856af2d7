package org.ocsp.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ocsp.flink.chain.TestSigningKey;
import org.ocsp.flink.chain.VerifyingKey;
import org.ocsp.flink.job.TrainerJob;
import org.ocsp.flink.publish.Publisher;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.run.RunStopper;
import org.ocsp.flink.job.RunFanOut;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.data.Augmentation;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.DatasetSplits;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;

/** Shared pieces of the broker + mini-cluster tests: a small Fashion-MNIST stream, a fast-pruning spec, the job. */
final class Fixtures {
    static final int TRAIN = 256;
    static final int TEST = 128;
    static final int BATCH = 64;
    static final long DATA_SEED = 7;
    static final String DATASET = "fashion-mnist";
    static final Duration TIMEOUT = Duration.ofMinutes(6);

    private static DatasetSplits data;

    private Fixtures() {
    }

    static synchronized BatchSequence sequence() throws IOException {
        if (data == null) {
            data = FashionMnist.load().first(TRAIN, TEST);
        }
        return BatchSequence.builder().setData(data).setNormalization(FashionMnist.NORMALIZATION).setBatchSize(BATCH)
                .setSeed(DATA_SEED).optAugmentation(Augmentation.randomCropAndFlip(2, 0.5)).build();
    }

    /** Fixed regularisation start, large lambda steps and a hard cap: t* within a few epochs. */
    static RunSpec spec(double target, int epochs, int hardCap) {
        RunSpec spec = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), target, epochs).build();
        spec.setBatchSize(BATCH);
        spec.getOptimizer().setLearningRate(0.05);
        spec.getStability().setMonitorStart(1);
        spec.getStability().setRegularizationStart(RegularizationStartMode.FIXED);
        spec.getStability().setSlStart(0);
        spec.getStability().setLambdaStart(0.5);
        spec.getStability().setLambdaDelta(0.5);
        spec.getStability().setHardCapEpoch(hardCap);
        spec.setDatasetName(DATASET);
        return spec;
    }

    private static volatile String broker;

    /** The broker the fixtures talk to: the test JVM's shared one, or the one a test put in its place. */
    static String bootstrap() {
        String b = broker;
        return b != null ? b : TestKafka.bootstrapServers();
    }

    /** Points the fixtures at another broker (null: back to the shared one); for a test that restarts its broker. */
    static void useBroker(String bootstrapServers) {
        broker = bootstrapServers;
    }

    static Topics topics(String test) {
        Topics t = Topics.withPrefix("it-" + test + "-" + System.nanoTime() + ".");
        TopicAdmin.createAll(KafkaConnection.of(bootstrap()), t);
        return t;
    }

    static TrainerJob job(Topics topics, Path dir) {
        return job(topics, dir, null);
    }

    static VerifyingKey publicKey() {
        return TestSigningKey.publicKey();
    }

    static TrainerJob job(Topics topics, Path dir, String restoreFrom) {
        return job(topics, dir, restoreFrom, 1);
    }

    static TrainerJob job(Topics topics, Path dir, String restoreFrom, int parallelism) {
        String id = topics.events().name().replace(".events", "");
        TrainerJob.Builder b = TrainerJob.builder().setBootstrapServers(bootstrap()).optTopics(topics)
                .optModelDir(dir.resolve("models").toString()).optCheckpointInterval(Duration.ofMillis(800))
                .optCheckpointDir(dir.resolve("checkpoints").toUri().toString()).optGroupId(id)
                .optTransactionalIdPrefix(id).optSigningKeyFile(TestSigningKey.privateKeyFile().toString());
        if (restoreFrom != null) {
            b.optRestoreFrom(restoreFrom);
        }
        return b.optParallelism(parallelism).build();
    }

    /** A mini-cluster of one TaskManager for the fault tests, configured like the job (restart policy included). */
    static org.apache.flink.runtime.minicluster.MiniCluster miniCluster(Path dir, int slots) throws Exception {
        org.apache.flink.configuration.Configuration conf = job(topics("cluster-template"), dir.resolve("template"))
                .configuration();
        conf.set(org.apache.flink.configuration.RestOptions.BIND_PORT, "0");
        org.apache.flink.runtime.minicluster.MiniCluster cluster = new org.apache.flink.runtime.minicluster.MiniCluster(
                new org.apache.flink.runtime.minicluster.MiniClusterConfiguration.Builder().setConfiguration(conf)
                        .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        return cluster;
    }

    static org.apache.flink.api.common.JobID submit(org.apache.flink.runtime.minicluster.MiniCluster cluster, TrainerJob job)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
        job.addTo(env);
        return cluster.submitJob(env.getStreamGraph()).get().getJobID();
    }

    /** A fault a test injects into a running job (a TaskManager taken away, the broker restarted). */
    interface Fault {
        void inject() throws Exception;
    }

    /**
     * Trains one run twice on the cluster: undisturbed, and with {@code fault} injected once its
     * epoch-2 decision is in the log (the last epoch is held back until then, so the run cannot
     * finish first); the fault must not change the committed log ({@link #assertSameLogAsUninterrupted}).
     */
    static void assertFaultLeavesTheLog(org.apache.flink.runtime.minicluster.MiniCluster cluster, Path dir, String name,
                                        int epochs, Fault fault) throws Exception {
        RunSpec spec = spec(0.5, epochs, 3);
        String run = "run-" + name;
        Topics plain = topics(name + "-plain");
        RunStarter.start(KafkaConnection.of(bootstrap()), plain, run, spec);
        org.apache.flink.api.common.JobID job = submit(cluster, job(plain, dir.resolve("plain")));
        List<SpecificRecord> uninterrupted;
        try {
            awaitRunsRegistered(plain);
            publish(plain, epochs);
            uninterrupted = awaitPublished(plain, List.of(run));
        } finally {
            cluster.cancelJob(job).get();
        }
        Topics faulty = topics(name + "-fault");
        RunStarter.start(KafkaConnection.of(bootstrap()), faulty, run, spec);
        job = submit(cluster, job(faulty, dir.resolve("fault")));
        List<SpecificRecord> recovered;
        try {
            awaitRunsRegistered(faulty);
            publish(faulty, 0, epochs - 1);
            try (LogReader events = new LogReader(bootstrap(), faulty.events().name())) {
                events.await(rs -> rs.stream().anyMatch(r -> r instanceof org.ocsp.schemas.avro.event.MaskSnapshot
                        && header(r).getEpoch() == 2), TIMEOUT, "the cut point");
            }
            fault.inject();
            publish(faulty, epochs - 1, 1);
            recovered = awaitPublished(faulty, List.of(run));
        } finally {
            cluster.cancelJob(job).get();
        }
        assertSameLogAsUninterrupted(uninterrupted, recovered, faulty, run, epochs);
    }

    /**
     * The ONNX files of the two runs hold the same graph and weights. Their metadata differs in
     * the chain head alone: it hashes the run's decision event as logged, wall-clock values
     * included, which is why {@link RestoreITCase#normalized} leaves the exports' hashes out.
     */
    static void assertSameOnnxGraph(List<SpecificRecord> a, List<SpecificRecord> b, String runId) throws IOException {
        ai.onnx.proto.OnnxMl.ModelProto onnxA = publishedOnnx(a, runId);
        ai.onnx.proto.OnnxMl.ModelProto onnxB = publishedOnnx(b, runId);
        org.junit.jupiter.api.Assertions.assertEquals(onnxA.getGraph(), onnxB.getGraph(), runId + ": the ONNX graphs");
        org.junit.jupiter.api.Assertions.assertEquals(onnxA.getMetadataPropsCount(), onnxB.getMetadataPropsCount());
        for (int i = 0; i < onnxA.getMetadataPropsCount(); i++) {
            if (!onnxA.getMetadataProps(i).getKey().equals("ocsp.chain_head")) {
                org.junit.jupiter.api.Assertions.assertEquals(onnxA.getMetadataProps(i), onnxB.getMetadataProps(i));
            }
        }
    }

    private static ai.onnx.proto.OnnxMl.ModelProto publishedOnnx(List<SpecificRecord> log, String runId)
            throws IOException {
        ModelPublished m = log.stream().filter(r -> r instanceof ModelPublished).map(r -> (ModelPublished) r)
                .findFirst().orElseThrow(() -> new AssertionError(runId + " published no model"));
        org.junit.jupiter.api.Assertions.assertEquals(1, m.getExports().size(), runId + ": one ONNX export");
        return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of(java.net.URI.create(m.getExports().get(0).getUri()))));
    }

    /**
     * What a fault must not change: the run's committed log equals an uninterrupted run's (wall-clock
     * values aside), its sequence is gap- and duplicate-free, every epoch completed once, and it
     * verifies as one chain signed by the tests' key.
     */
    static void assertSameLogAsUninterrupted(List<SpecificRecord> uninterrupted, List<SpecificRecord> recovered,
                                             Topics topics, String runId, int epochs) throws IOException {
        assertSameOnnxGraph(ofRun(uninterrupted, runId), ofRun(recovered, runId), runId);
        org.junit.jupiter.api.Assertions.assertEquals(RestoreITCase.normalized(ofRun(uninterrupted, runId)),
                RestoreITCase.normalized(ofRun(recovered, runId)), runId);
        List<SpecificRecord> run = ofRun(recovered, runId);
        for (int i = 0; i < run.size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(i, header(run.get(i)).getSequence(),
                    "gap-free, duplicate-free sequence");
        }
        org.junit.jupiter.api.Assertions.assertEquals(epochs, run.stream()
                .filter(r -> r instanceof org.ocsp.schemas.avro.event.EpochCompleted).count());
        org.ocsp.flink.audit.VerificationResult v = new org.ocsp.flink.audit.DecisionVerifier(List.of(publicKey()))
                .verify(org.ocsp.flink.audit.KafkaEventSource.builder().setBootstrapServers(bootstrap())
                        .setTopic(topics.events().name()).build().load(runId));
        org.junit.jupiter.api.Assertions.assertTrue(v.ok(), v.describe());
    }

    static JobClient start(TrainerJob job) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
        job.addTo(env);
        return env.executeAsync(TrainerJob.NAME);
    }

    /** Publishes epochs first .. first + count - 1. */
    static void publish(Topics topics, int first, int count) throws IOException {
        Publisher.builder().setBootstrapServers(bootstrap()).setTopics(topics).setSequence(sequence())
                .setDatasetName(DATASET).optFirstEpoch(first).optEpochs(count).build().publish();
    }

    static void publish(Topics topics, int epochs) throws IOException {
        Publisher.builder().setBootstrapServers(bootstrap()).setTopics(topics).setSequence(sequence())
                .setDatasetName(DATASET).optEpochs(epochs).build().publish();
    }

    static void send(String topic, String key, byte[] value) {
        send(KafkaConnection.of(bootstrap()), topic, key, value);
    }

    static void send(KafkaConnection kafka, String topic, String key, byte[] value) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
            if (topic.endsWith(".events")) { // signed as the job signs: the tests' records test other checks
                TestSigningKey.signingKey().sign(value).addTo(r.headers());
            }
            producer.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asks to stop a run that does not exist and waits for the fan-out's dead letter of it ("event
     * for unknown run"): requests enter the log in order, so after that every run started before
     * it is registered in the job's fan-out, and a stream published now starts each of those runs
     * at its first epoch (deterministically).
     */
    static void awaitRunsRegistered(Topics topics) {
        awaitRunsRegistered(KafkaConnection.of(bootstrap()), KafkaConnection.of(bootstrap()), topics);
    }

    /** The same through a broker that authorizes: {@code writer} may write run requests, {@code reader} read dead letters. */
    static void awaitRunsRegistered(KafkaConnection writer, KafkaConnection reader, Topics topics) {
        String probe = "probe-" + System.nanoTime();
        RunStopper.stop(writer, topics, probe, "test", "readiness probe");
        try (LogReader dlq = new LogReader(reader, topics.deadLetters().name())) {
            dlq.await(rs -> rs.stream().anyMatch(r -> r instanceof DeadLetter && probe.equals(((DeadLetter) r).getRunId())
                    && RunFanOut.STAGE.equals(((DeadLetter) r).getStage())), TIMEOUT, "the probe's dead letter");
        }
    }

    static List<SpecificRecord> awaitPublished(Topics topics, List<String> runs) {
        try (LogReader events = new LogReader(bootstrap(), topics.events().name())) {
            return events.await(rs -> runs.stream().allMatch(run -> rs.stream().anyMatch(r -> r instanceof ModelPublished
                    && ((ModelPublished) r).getHeader().getRunId().equals(run))), TIMEOUT, "ModelPublished of " + runs);
        }
    }

    static List<SpecificRecord> ofRun(List<SpecificRecord> log, String run) {
        return log.stream().filter(r -> RecordType.headerOf(r).map(h -> h.getRunId().equals(run)).orElse(false))
                .collect(Collectors.toList());
    }

    static EventHeader header(SpecificRecord r) {
        return RecordType.headerOf(r).orElseThrow();
    }

    static Map<String, List<Integer>> kept(List<GroupMask> groups) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        for (GroupMask g : groups) {
            m.put(g.getGroupId(), new ArrayList<>(g.getKept()));
        }
        return m;
    }

    static Map<String, List<Integer>> kept(org.ocsp.modelops.selection.SubnetworkMask mask) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        for (String g : mask.groupIds()) {
            List<Integer> l = new ArrayList<>();
            for (int i : mask.kept(g)) {
                l.add(i);
            }
            m.put(g, l);
        }
        return m;
    }
}
