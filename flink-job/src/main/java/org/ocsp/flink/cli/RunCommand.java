package org.ocsp.flink.cli;

import java.util.concurrent.Callable;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.modelops.cli.PresetOption;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: run control. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run control.",
        subcommands = {RunCommand.Start.class, RunCommand.Stop.class, RunCommand.ListRuns.class})
final class RunCommand {
    /** {@code run stop}: end a run now; its model as it stands is published, marked STOPPED. */
    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a run now: the job publishes its model as it stands (manifest and ModelPublished marked "
                    + "STOPPED, with who asked and why) and releases its state.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(converter = RunIdConverter.class, names = "--run-id", required = true, description = "The run to stop.")
        String runId;

        @Option(names = "--reason", description = "Why, for the log.")
        String reason;

        @Option(names = "--requested-by", description = "Who asks (default: ${DEFAULT-VALUE}).")
        String requestedBy = System.getProperty("user.name", "unknown");

        @Override
        public Integer call() {
            org.ocsp.flink.run.RunStopper.stop(kafka.connection(), kafka.topics(), runId, requestedBy, reason);
            System.out.println("stop of run " + runId + " requested; `run list` shows it STOPPED once the job has "
                    + "published its model");
            return 0;
        }
    }

    /** {@code run list}: every run on the events topic with its state, read from the log. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every run in the event log: state (RUNNING, PRUNED, FINISHED, STOPPED, FAILED, REJECTED), phase, "
                    + "epochs, last event.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() throws java.io.IOException {
            java.util.List<org.ocsp.flink.audit.RunStatus> runs = new java.util.ArrayList<>();
            for (org.ocsp.flink.audit.RunLog log : org.ocsp.flink.audit.KafkaEventSource.builder()
                    .setKafka(kafka.connection()).setTopic(kafka.topics().events().name()).build()
                    .loadAll().values()) {
                runs.add(org.ocsp.flink.audit.RunStatus.of(log));
            }
            System.out.print(org.ocsp.flink.audit.RunStatus.table(runs));
            return 0;
        }
    }

    /** {@code run start}: emit RunStarted with the full spec. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Write RunStarted (full spec, config hash) to the events topic; the run joins the stream at "
                    + "the next dataset epoch.")
    static final class Start implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Mixin
        RunSpecOptions spec;

        @Mixin
        PresetOption preset;

        @Option(converter = RunIdConverter.class, names = "--run-id", required = true, description = "Id of the new run (the key of its events and state).")
        String runId;

        @Option(names = "--signing-public-key", paramLabel = "FILE", description = "The job's Ed25519 public key (PEM): "
                + "RunStarted names its id, and audit verify then requires every event of the run to be signed by it.")
        java.nio.file.Path signingPublicKey;

        /** The spec to log: the command line over the preset, if one is named. */
        RunSpec runSpec() {
            return spec.toSpec(preset.applyTo(spec.values(), spec::given));
        }

        @Override
        public Integer call() throws java.io.IOException {
            // A bad setting or key is reported before anything talks to Kafka.
            RunSpec runSpec = runSpec();
            java.util.Optional<String> keyId = signingPublicKey == null ? java.util.Optional.empty()
                    : java.util.Optional.of(org.ocsp.flink.chain.VerifyingKey.read(signingPublicKey).keyId());
            TopicAdmin.createAll(kafka.connection(), kafka.topics());
            RunStarted e = RunStarter.start(kafka.connection(), kafka.topics(), runId, runSpec, keyId);
            System.out.println("run " + runId + " started, config hash " + e.getHeader().getConfigHash());
            return 0;
        }
    }
}
