package org.ocsp.flink.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ocsp.modelops.engine.CpuFeatures;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.ocsp.deploy.EmbeddedKafkaBroker;
import org.ocsp.flink.job.TrainerJob;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.schemas.avro.event.RunSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ocsp.flink.cli.JobOptions;
import org.ocsp.flink.job.JobSettingDef;
import org.ocsp.flink.job.run.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code ocsp bench streaming}: the streaming job against the bare model-ops loop on the same
 * model, data, seed and machine, in one process. Per architecture one job runs on a mini-cluster
 * (RocksDB, incremental checkpoints); each round trains one bare run ({@code PruningLoop}) and one
 * streaming run, in alternating order so both see the same machine load. Prints throughput with
 * the streaming/bare ratio, the decision wait at each epoch boundary, and checkpoint durations and
 * sizes.
 *
 * <pre>{@code
 * java -Xmx6g -cp "$CP" org.ocsp.flink.cli.OcspCli bench streaming --arch fashion-vgg,resnet56
 * }</pre>
 */
@Command(name = "streaming", mixinStandardHelpOptions = true, modelTransformer = StreamingBenchCommand.Settings.class,
        description = "Training throughput of the streaming job vs the bare model-ops loop (same model, data, seed; "
                + "alternating runs), decision waits per epoch boundary, checkpoint duration and size.")
final class StreamingBenchCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingBenchCommand.class);

    @Option(names = "--arch", split = ",", description = "Architectures (default: ${DEFAULT-VALUE}).")
    List<String> archs = List.of("fashion-vgg", "resnet56");

    @Option(names = "--rounds", description = "Bare + streaming pairs per architecture (default: 6).")
    Integer rounds;

    @Option(names = "--epochs", description = "Epochs per run (default: 4 for fashion-vgg, 3 otherwise).")
    Integer epochs;

    @Option(names = "--warmup-epochs", description = "Leading epochs of every run left out of the rates "
            + "(default: ${DEFAULT-VALUE}).")
    int warmupEpochs = 1;

    @Option(names = "--train-subset", description = "Training images (default: 8192 for fashion-vgg, 1024 otherwise).")
    Integer trainSubset;

    @Option(names = "--test-subset", description = "Test images (default: 256 for fashion-vgg, 128 otherwise).")
    Integer testSubset;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--data-dir", description = "Fashion-MNIST IDX directory (default: ${DEFAULT-VALUE}).")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Option(names = "--data-seed", description = "Seed of data order, augmentation and synthetic images "
            + "(default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Spec
    CommandSpec spec;

    /**
     * The job's checkpoint interval. Ten seconds: the bench measures training throughput, and every
     * RESULTS row since 2026-12-01 was taken with it (a shorter one adds checkpoint work to the rate).
     */
    static final class Settings implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec c) {
            return JobOptions.declare(c, List.of(JobSettingDef.CHECKPOINT_INTERVAL_MS),
                    Map.of(JobSettingDef.CHECKPOINT_INTERVAL_MS, 10_000L));
        }
    }

    private long checkpointIntervalMs() {
        return JobOptions.value(spec, JobSettingDef.CHECKPOINT_INTERVAL_MS);
    }

    @Option(names = "--work-dir", description = "Checkpoints and models (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("runs", "bench-streaming");

    @Option(names = "--timeout-minutes", description = "Give up on a run after this long (default: ${DEFAULT-VALUE}).")
    long timeoutMinutes = 30;

    /** Per architecture: CPU by thread group (printed after the main tables). */
    private final List<String> cpuTables = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("Invalid value " + warmupEpochs + " for option --warmup-epochs: must be >= 0");
        }
        List<BenchPlan> plans = new ArrayList<>();
        for (String arch : archs) {
            BenchPlan p = BenchPlan.of(arch, dataDir, trainSubset, testSubset, epochs, rounds, batchSize, seed);
            if (p.epochs() <= warmupEpochs) {
                throw new IllegalArgumentException("Invalid value " + p.epochs() + " for option --epochs (" + arch
                        + "): must be > --warmup-epochs " + warmupEpochs);
            }
            plans.add(p);
        }
        Files.createDirectories(workDir);
        o.println("bench streaming: " + MachineLine.describe());
        o.println("bench streaming: " + CpuFeatures.describe());
        o.println("date " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", load average " + MachineLine.load());
        List<ArchResult> results = new ArrayList<>();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start();
             DecisionWaitRecorder waits = new DecisionWaitRecorder()) {
            waits.start();
            String bootstrap = kafka.bootstrapServers();
            Configuration conf = jobFor(bootstrap, Topics.defaults(), "template").configuration();
            conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 100_000);
            conf.set(RestOptions.BIND_PORT, "0");
            try (MiniCluster cluster = new MeteredMiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                    .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build(), waits)) {
                cluster.start();
                o.printf(Locale.ROOT, "Kafka at %s; mini-cluster up (RocksDB, incremental checkpoints every %d ms)%n",
                        bootstrap, checkpointIntervalMs());
                for (BenchPlan p : plans) {
                    results.add(bench(o, cluster, bootstrap, waits, p));
                }
            }
        }
        o.println();
        o.printf(Locale.ROOT, "load average at the end %s; rates exclude the first %d epoch(s) of every run%n",
                MachineLine.load(), warmupEpochs);
        o.println();
        o.println("Training throughput: images/s over the TRAIN part of the measured epochs (bare: PruningLoop's TRAIN "
                + "loop; streaming: the trainer's EpochCompleted.imagesPerSecond, from applying the epoch's decision to its "
                + "last TRAIN step). End-to-end: TRAIN images over the epochs' wall time incl. EVAL and the decision wait "
                + "(bare: the in-process decision).");
        o.println();
        o.print(BenchReport.throughput(results));
        o.println();
        o.println("Decision wait per epoch boundary (streaming: end of epoch e-1 until the decision for e, read back "
                + "from the event log, is applied):");
        o.println();
        o.print(BenchReport.decisionWaits(results));
        o.println();
        o.println("Checkpoints completed while streaming runs trained (RocksDB incremental; full = state referenced, "
                + "incremental = bytes written by that checkpoint):");
        o.println();
        o.print(BenchReport.checkpoints(results));
        for (String t : cpuTables) {
            o.println();
            o.print(t);
        }
        return 0;
    }

    private TrainerJob jobFor(String bootstrap, Topics topics, String id) {
        return TrainerJob.builder().setBootstrapServers(bootstrap).optTopics(topics)
                .optModelDir(workDir.resolve("models").toString())
                .optCheckpointDir(workDir.toAbsolutePath().resolve("checkpoints").toUri().toString())
                .optCheckpointInterval(Duration.ofMillis(checkpointIntervalMs())).optGroupId(id)
                .optTransactionalIdPrefix(id).build();
    }

    private ArchResult bench(PrintStream o, MiniCluster cluster, String bootstrap, DecisionWaitRecorder waits, BenchPlan p)
            throws Exception {
        String id = "bench-" + p.arch() + "-" + System.currentTimeMillis();
        Topics topics = Topics.withPrefix(id + ".");
        TopicAdmin.createAll(KafkaConnection.of(bootstrap), topics);
        TrainerJob job = jobFor(bootstrap, topics, id);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
        job.addTo(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(TrainerJob.NAME + " (" + p.arch() + ")");
        JobID jobId = cluster.submitJob(graph).get().getJobID();
        o.println();
        o.printf(Locale.ROOT, "== %s: %s, %d epochs per run, %d rounds (job %s)%n", p.arch(), p.describeData(), p.epochs(),
                p.rounds(), jobId);
        StreamingRun streaming = new StreamingRun(bootstrap, topics, cluster, jobId, waits,
                Duration.ofMinutes(timeoutMinutes));
        List<RunMeasurement> runs = new ArrayList<>();
        List<StreamingRun.Window> windows = new ArrayList<>();
        CpuBreakdown cpu = new CpuBreakdown();
        try {
            // Uncounted warm-up, one run of each mode: besides JIT and the job's start-up, libgomp spins
            // 300000 times after each parallel region while a process has no more OpenMP threads than CPUs,
            // and throttles that once a second team (the trainer's) exists; the bare loop ran 2-3x slower
            // before the first streaming run than after it. Counted runs all see both teams.
            streaming.awaitReady();
            int warmEpochs = warmupEpochs + 1;
            RunSpec warmSpec = BenchPlan.spec(p.arch(), p.spec().getInputShape(), warmEpochs, batchSize, p.datasetName());
            RunMeasurement warmBare = BareRun.run(warmSpec, p.sequence(), warmEpochs, -1);
            o.printf(Locale.ROOT, "%s (not counted)%n", describe(warmBare));
            // The run's spec plans as many epochs as are published, or it would wait for more.
            RunMeasurement warmStreaming = streaming.run(id + "-warm-up", warmSpec, p.sequence(), p.datasetName(),
                    warmEpochs, -1).measurement();
            o.printf(Locale.ROOT, "%s (not counted)%n", describe(warmStreaming));
            for (int round = 0; round < p.rounds(); round++) {
                boolean bareFirst = round % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    RunMeasurement m;
                    Map<Integer, ThreadCpu.Ticks> before = ThreadCpu.snapshot();
                    if ((k == 0) == bareFirst) {
                        m = BareRun.run(p.spec(), p.sequence(), p.epochs(), round);
                    } else {
                        StreamingRun.Result r = streaming.run(id + "-r" + round, p.spec(), p.sequence(), p.datasetName(),
                                p.epochs(), round);
                        windows.add(r.window());
                        m = r.measurement();
                    }
                    cpu.add(m.mode(), before, ThreadCpu.snapshot(),
                            m.epochs().stream().mapToLong(EpochSample::trainImages).sum());
                    runs.add(m);
                    o.println(describe(m));
                }
            }
            cpuTables.add(cpu.table(p.arch(), 12));
            List<CheckpointSample> checkpoints = CheckpointStatsReader.completed(cluster, jobId).stream()
                    .filter(c -> windows.stream().anyMatch(w -> w.contains(c.triggerMillis()))).toList();
            return new ArchResult(p.arch(), p.describeData(), warmupEpochs, runs, checkpoints);
        } finally {
            cancel(cluster, jobId);
        }
    }

    private String describe(RunMeasurement m) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %s %-9s %7.1f img/s (epochs:",
                m.round() < 0 ? "warm-up" : "round " + (m.round() + 1), m.mode().name().toLowerCase(Locale.ROOT), m.imagesPerSecond(warmupEpochs)));
        for (EpochSample e : m.epochs()) {
            s.append(String.format(Locale.ROOT, " %d: %.1f", e.epoch(), e.imagesPerSecond()));
            e.decisionWaitMillis().ifPresent(w -> s.append(String.format(Locale.ROOT, " after %d ms decision", w)));
            s.append(';');
        }
        return s.append(')').toString();
    }

    private static void cancel(MiniCluster cluster, JobID job) {
        try {
            cluster.cancelJob(job).get();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!cluster.getJobStatus(job).get().isGloballyTerminalState() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (Exception e) {
            LOG.warn("Cancelling bench job {} failed: {}", job, e.toString());
        }
    }
}
