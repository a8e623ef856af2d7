package org.ocsp.flink.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ocsp.modelops.engine.CpuFeatures;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.ocsp.deploy.EmbeddedKafkaBroker;
import org.ocsp.flink.job.JobSettingDef;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.chain.VerifyingKey;
import org.ocsp.flink.job.TrainerJob;
import org.ocsp.flink.publish.Publisher;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.config.RunPreset;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.Split;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: everything on one machine. An in-process Kafka broker, a Flink mini-cluster with
 * RocksDB, a Fashion-MNIST subset published as a stream, one run started; live progress per epoch
 * and the decision timeline at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, modelTransformer = DemoCommand.Settings.class,
        description = "Start an in-process Kafka broker and a Flink mini-cluster, publish Fashion-MNIST (a subset by "
                + "default), start a run and show its progress and decisions. Takes a few minutes with the defaults.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Mixin
    DatasetOptions dataset;

    @Mixin
    RunSpecOptions run;

    @Option(converter = RunIdConverter.class, names = "--run-id", description = "Run id (default: ${DEFAULT-VALUE}).")
    String runId = "demo-run";

    @Option(names = "--work-dir", description = "Models and checkpoints (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("runs", "demo");

    /**
     * The checkpoint interval; every epoch boundary of the demo waits about one, hence a second. A
     * command's own model transformer replaces its mixins' (picocli), so this one declares the run
     * settings of {@link RunSpecOptions} too.
     */
    public static final class Settings implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec c) {
            return JobOptions.declare(new RunSpecOptions.Declared().transform(c), List.of(JobSettingDef.CHECKPOINT_INTERVAL_MS),
                    Map.of(JobSettingDef.CHECKPOINT_INTERVAL_MS, 1000L));
        }
    }

    @Option(names = "--timeout-minutes", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    long timeoutMinutes = 60;

    /** The demo preset ({@link RunPreset#DEMO}, a run that reaches t* in minutes); an option given on the command line wins. */
    private RunConfig.Builder withDemoDefaults(RunConfig.Builder b) {
        ParseResult parsed = command.commandLine().getParseResult();
        if (!parsed.hasMatchedOption("--train-subset")) {
            dataset.trainSubset = RunPreset.DEMO.trainSubset();
        }
        if (!parsed.hasMatchedOption("--test-subset")) {
            dataset.testSubset = RunPreset.DEMO.testSubset();
        }
        RunPreset.DEMO.applyTo(b, run::given);
        if (!parsed.hasMatchedOption("--dataset")) {
            run.dataset = dataset.name();
        }
        // The model must take the published batches whole.
        return b.set(RunConfigDef.BATCH_SIZE, Math.max(b.find(RunConfigDef.BATCH_SIZE).orElseThrow(), dataset.batchSize));
    }

    /** The run's spec: the command line over the demo preset. */
    RunSpec spec() {
        return run.toSpec(withDemoDefaults(run.values()));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        long checkpointIntervalMs = JobOptions.value(command, JobSettingDef.CHECKPOINT_INTERVAL_MS);
        RunSpec spec = spec();
        BatchSequence seq = dataset.sequence();
        long started = System.nanoTime();
        o.println("demo: " + CpuFeatures.describe());
        o.println("demo: starting an in-process Kafka broker ...");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
            String bootstrap = kafka.bootstrapServers();
            Topics topics = Topics.defaults();
            TopicAdmin.createAll(KafkaConnection.of(bootstrap), topics);
            Files.createDirectories(workDir);
            VerifyingKey key = signingKey();
            TrainerJob job = TrainerJob.builder().setBootstrapServers(bootstrap).optTopics(topics)
                    .optSigningKeyFile(workDir.resolve(PRIVATE_KEY).toString())
                    .optModelDir(workDir.resolve("models").toString())
                    .optCheckpointDir(workDir.toAbsolutePath().resolve("checkpoints").toUri().toString())
                    .optCheckpointInterval(Duration.ofMillis(checkpointIntervalMs)).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(job.configuration());
            job.addTo(env);
            o.printf("demo: Kafka at %s; starting the Flink mini-cluster (RocksDB, checkpoints every %d ms) ...%n",
                    bootstrap, checkpointIntervalMs);
            JobClient client = env.executeAsync(TrainerJob.NAME);
            try {
                RunStarted rs = RunStarter.start(KafkaConnection.of(bootstrap), topics, runId, spec, java.util.Optional.of(key.keyId()));
                o.printf(Locale.ROOT, "demo: run %s: %s, target %.0f%% FLOPs reduction, %d epochs, config %s%n", runId,
                        spec.getArchitecture(), spec.getFlopsReductionTarget() * 100, spec.getEpochsPlanned(),
                        rs.getHeader().getConfigHash().substring(0, 12));
                // One extra epoch: the run joins at the next epoch boundary after the job has seen RunStarted.
                int publish = spec.getEpochsPlanned() + 1;
                o.printf("demo: publishing %s (%d train / %d test images, %d+%d batches per epoch) for %d epochs%n",
                        dataset.name(), seq.sampleCount(Split.TRAIN), seq.sampleCount(Split.EVAL),
                        seq.batchCount(Split.TRAIN), seq.batchCount(Split.EVAL), publish);
                Publisher.builder().setBootstrapServers(bootstrap).setTopics(topics).setSequence(seq)
                        .setDatasetName(dataset.name()).optEpochs(publish).build().publish();
                List<SpecificRecord> timeline = follow(o, bootstrap, topics, Duration.ofMinutes(timeoutMinutes));
                printTimeline(o, timeline);
                writeReport(o, bootstrap, topics);
            } finally {
                client.cancel().get();
            }
        }
        o.printf(Locale.ROOT, "%ndemo finished in %.1f min. To run longer: add --train-subset 60000 --test-subset 10000 "
                + "--epochs 30 (and e.g. --reg-start AUTOMATIC --tau 0.999 --hard-cap 20 --lambda-start 1e-4 "
                + "--lambda-delta 1e-4 for the reference thresholds); see --help.%n", (System.nanoTime() - started) / 6e10);
        return 0;
    }

    static final String PRIVATE_KEY = "signing-private.pem";
    static final String PUBLIC_KEY = "signing-public.pem";

    /** The demo job's signing key, made on the first run in the work directory and kept for the next. */
    private VerifyingKey signingKey() throws java.io.IOException {
        if (!Files.exists(workDir.resolve(PRIVATE_KEY))) {
            SigningKey.generate(workDir.resolve(PRIVATE_KEY), workDir.resolve(PUBLIC_KEY));
        }
        return VerifyingKey.read(workDir.resolve(PUBLIC_KEY));
    }

    /**
     * The audit report of the run, read back from the committed event log, and the log itself
     * exported next to it: the in-process broker goes when the demo ends, the archive stays.
     */
    private void writeReport(PrintStream o, String bootstrap, Topics topics) throws java.io.IOException {
        org.ocsp.flink.audit.RunLog log = org.ocsp.flink.audit.KafkaEventSource.builder().setBootstrapServers(bootstrap)
                .setTopic(topics.events().name()).build().load(runId);
        Path report = org.ocsp.flink.report.HtmlReport.write(List.of(log), workDir.resolve("report.html"));
        Path archive = workDir.resolve(runId + ".events.avro");
        org.ocsp.flink.audit.EventArchive.write(archive, log);
        o.println();
        o.println("report (open in a browser, works offline): " + report.toAbsolutePath());
        o.println("event log (signed, " + log.inLogOrder().size() + " events) exported to " + archive.toAbsolutePath()
                + "; check it any time with:");
        o.println("  java -cp \"flink-job/target/flink-job-0.1.0-SNAPSHOT.jar:$(cat flink-job/target/classpath.txt)\" "
                + "org.ocsp.flink.cli.OcspCli audit verify --run " + runId + " --from " + archive.toAbsolutePath()
                + " --public-key " + workDir.resolve(PUBLIC_KEY).toAbsolutePath());
    }

    /** Prints one line per epoch until ModelPublished; returns the run's events. */
    private List<SpecificRecord> follow(PrintStream o, String bootstrap, Topics topics, Duration timeout) {
        List<SpecificRecord> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        String phase = "DENSE";
        double jAvg = Double.NaN;
        double lambda = 0;
        PruningEvent pruning = null;
        o.println();
        o.println("epoch  phase         loss    train%   test%   J_avg    lambda    MFLOPs   img/s");
        try (EventTail tail = new EventTail(KafkaConnection.of(bootstrap), topics.events().name())) {
            while (System.nanoTime() < deadline) {
                for (SpecificRecord r : tail.poll(Duration.ofMillis(500))) {
                    EventHeader h = RecordType.headerOf(r).orElse(null);
                    if (h == null || !h.getRunId().equals(runId)) {
                        continue;
                    }
                    events.add(r);
                    if (r instanceof MaskSnapshot) {
                        jAvg = ((MaskSnapshot) r).getStabilityScore();
                        phase = phase.equals("DENSE") ? "MONITORING" : phase;
                    } else if (r instanceof RegularizationStarted) {
                        phase = "REGULARIZING";
                    } else if (r instanceof PenaltyChanged) {
                        lambda = ((PenaltyChanged) r).getLambdaNew();
                    } else if (r instanceof EpochCompleted) {
                        EpochCompleted e = (EpochCompleted) r;
                        if (h.getEpoch() == 0) {
                            // Which one depends on when the job saw RunStarted; the rest of the run does not.
                            o.printf("       (the run joined the stream at dataset epoch %d)%n", e.getDatasetEpoch());
                        }
                        o.printf(Locale.ROOT, "%5d  %-12s %6.4f  %6.2f  %6.2f   %s  %s  %7.2f  %6.0f%n", h.getEpoch(), phase,
                                e.getTrainLoss(), e.getTrainAccuracy() * 100,
                                e.getTestAccuracy() == null ? Double.NaN : e.getTestAccuracy() * 100,
                                Double.isNaN(jAvg) ? "  -   " : String.format(Locale.ROOT, "%.4f", jAvg),
                                phase.equals("REGULARIZING") ? String.format(Locale.ROOT, "%.2e", lambda) : "    -    ",
                                e.getFlops() / 1e6, e.getImagesPerSecond());
                        if (pruning != null && pruning.getTStar() == h.getEpoch()) {
                            o.printf(Locale.ROOT, "       t* = %d (%s): pruned %.2f -> %.2f MFLOPs, fine-tuning follows%n",
                                    pruning.getTStar(), pruning.getReason(), pruning.getFlopsBefore() / 1e6,
                                    pruning.getFlopsAfter() / 1e6);
                            phase = "PRUNED";
                            lambda = 0;
                            jAvg = Double.NaN;
                        }
                    } else if (r instanceof PruningEvent) {
                        pruning = (PruningEvent) r;
                    } else if (r instanceof ModelPublished) {
                        return events;
                    }
                }
            }
        }
        throw new IllegalStateException("The run did not finish within " + timeout + " (raise --timeout-minutes)");
    }

    private static void printTimeline(PrintStream o, List<SpecificRecord> events) {
        o.println();
        o.println("decision timeline (from the event log, read_committed):");
        for (SpecificRecord r : events) {
            EventHeader h = RecordType.headerOf(r).orElseThrow();
            String what;
            if (r instanceof MaskSnapshot) {
                MaskSnapshot m = (MaskSnapshot) r;
                what = String.format(Locale.ROOT, "sub-network M_t: s_t %.4f, J_avg %.4f, kept %s", m.getSimilarity(),
                        m.getStabilityScore(), m.getGroups().stream().map(g -> g.getKept().size() + "/" + g.getOriginalWidth())
                                .collect(java.util.stream.Collectors.joining(" ")));
            } else if (r instanceof RegularizationStarted) {
                RegularizationStarted s = (RegularizationStarted) r;
                what = "t_sl-start: regularisation starts (" + s.getMode() + ": " + s.getReason() + ")";
            } else if (r instanceof PenaltyChanged) {
                PenaltyChanged p = (PenaltyChanged) r;
                what = String.format(Locale.ROOT, "lambda %.2e -> %.2e", p.getLambdaOld(), p.getLambdaNew());
            } else if (r instanceof PruningEvent) {
                PruningEvent p = (PruningEvent) r;
                what = String.format(Locale.ROOT, "t* = %d (%s, J_avg %.4f): FLOPs %.2fM -> %.2fM, params %.3fM -> %.3fM",
                        p.getTStar(), p.getReason(), p.getStabilityScore(), p.getFlopsBefore() / 1e6,
                        p.getFlopsAfter() / 1e6, p.getParamsBefore() / 1e6, p.getParamsAfter() / 1e6);
            } else if (r instanceof ModelPublished) {
                ModelPublished m = (ModelPublished) r;
                StringBuilder w = new StringBuilder("model published: " + m.getUri() + " (sha256 "
                        + m.getSha256().substring(0, 16) + "...)");
                m.getExports().forEach(x -> w.append(String.format(Locale.ROOT, "%n%29s%s export: %s, opset %d (sha256 %s...)",
                        "", x.getFormat(), x.getUri(), x.getOpset(), x.getSha256().substring(0, 16))));
                what = w.toString();
            } else if (r instanceof EpochCompleted) {
                continue;
            } else {
                what = r.getSchema().getName();
            }
            o.printf("  seq %3d  epoch %3d  %s%n", h.getSequence(), h.getEpoch(), what);
        }
    }
}
