package org.ocsp.flink.audit;

import org.ocsp.flink.cli.RunIdConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.modelops.config.InvalidRunConfigException;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.stability.StabilitySettings;
import org.ocsp.flink.chain.VerifyingKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit export|timeline|verify|replay}: answers "why was this model pruned this way, and can
 * I trust the record?" from a run's event log alone. Register it as a subcommand of the operator CLI.
 *
 * <pre>
 * ocsp audit export   --run run-50 --out run-50.events.avro --bootstrap-servers localhost:9092
 * ocsp audit timeline --run run-50 --from run-50.events.avro
 * ocsp audit verify   --run run-50 --from run-50.events.avro --public-key signing-public.pem
 * ocsp audit explain  --run run-50 --from run-50.events.avro --epoch 4 --channel features.14:37
 * ocsp audit what-if  --run run-50 --from run-50.events.avro --tau 0.99 --target 0.4
 * ocsp audit keygen   --private-key signing-private.pem --public-key signing-public.pem
 * ocsp audit replay   --run run-50 --bootstrap-servers localhost:9092 [--model FILE] [--manifest FILE]
 * </pre>
 * Exit codes: 0 verified, 1 mismatches found, 2 the log or the model could not be read, 3 the log
 * is consistent but incomplete (a run still going, or a log cut short).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "List, export, re-check and replay a run's pruning decisions from the event log.",
        subcommands = {AuditCommand.Export.class, AuditCommand.Timeline.class, AuditCommand.Verify.class,
            AuditCommand.Replay.class, AuditCommand.Explain.class, AuditCommand.WhatIf.class, AuditCommand.Keygen.class})
public final class AuditCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int MISMATCH = 1;
    public static final int UNREADABLE = 2;
    public static final int INCOMPLETE = 3;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    /** Options and error handling every audit subcommand shares. */
    abstract static class RunCommand implements Callable<Integer> {
        @Option(converter = RunIdConverter.class, names = "--run", required = true, paramLabel = "RUN", description = "Run id.")
        String runId;

        @Mixin
        LogSourceOptions source;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public final Integer call() {
            try {
                return run(source.eventSource().load(runId), spec.commandLine().getOut());
            } catch (IOException | NoSuchRunException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("audit " + spec.name() + ": " + e.getMessage());
                return UNREADABLE;
            }
        }

        abstract int run(RunLog log, PrintWriter out) throws IOException;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the run's events in log order to an Avro container file (single-object bytes kept as logged).")
    static final class Export extends RunCommand {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Archive file to write.")
        Path out;

        @Override
        int run(RunLog log, PrintWriter w) throws IOException {
            EventArchive.write(out, log);
            w.printf(Locale.ROOT, "Exported %d events of run '%s' to %s%n", log.inLogOrder().size(), log.runId(), out);
            return OK;
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true,
            description = "Per epoch: phase, s_t, J_avg, lambda, loss, accuracy, FLOPs; t_sl-start, t* and the per-group widths.")
    static final class Timeline extends RunCommand {
        @Override
        int run(RunLog log, PrintWriter out) {
            out.print(TimelineTable.format(RunTimeline.of(log)));
            return OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute every decision from the logged inputs with model-ops; exit 1 on any mismatch.")
    static final class Verify extends RunCommand {
        @Option(names = "--public-key", paramLabel = "FILE", description = "The job's Ed25519 public key (PEM): every "
                + "event the job wrote must be signed by it. Repeat it for the keys before a rotation.")
        List<Path> publicKeys = List.of();

        @Override
        int run(RunLog log, PrintWriter out) throws IOException {
            List<VerifyingKey> keys = new java.util.ArrayList<>();
            for (Path p : publicKeys) {
                keys.add(VerifyingKey.read(p));
            }
            VerificationResult r = new DecisionVerifier(keys).verify(log);
            out.print(r.describe());
            return !r.mismatches().isEmpty() ? MISMATCH : r.complete() ? OK : INCOMPLETE;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Why a channel was kept or removed at an epoch: its logged score, rank, protection, threshold, fate.")
    static final class Explain extends RunCommand {
        @Option(names = "--epoch", required = true, paramLabel = "E", description = "Run epoch of the mask.")
        int epoch;

        @Option(names = "--channel", required = true, paramLabel = "GROUP:INDEX",
                description = "Channel: its group id and its original index, e.g. features.14:37.")
        String channel;

        @Override
        int run(RunLog log, PrintWriter out) {
            int colon = channel.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--channel takes GROUP:INDEX, e.g. features.14:37; got '" + channel + "'");
            }
            int index;
            try {
                index = Integer.parseInt(channel.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--channel " + channel + ": '" + channel.substring(colon + 1)
                        + "' is not a channel index");
            }
            out.print(ChannelExplanation.of(log, epoch, channel.substring(0, colon), index).describe());
            return OK;
        }
    }

    /** The run settings a what-if may change: those of the selection and of the stability rules. */
    static final List<Setting<?>> WHAT_IF_SETTINGS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(RunConfigDef.TARGET, RunConfigDef.MAX_PRUNE_FRACTION, RunConfigDef.PRUNE_LIMIT_RATE),
            StabilitySettings.ALL.stream()).toList();

    @Command(name = "what-if", mixinStandardHelpOptions = true, modelTransformer = WhatIf.Settings.class,
            description = "Re-run the selection and the stability rules over the logged scores with other settings "
                    + "(a counterfactual: says which epochs are exact).")
    static final class WhatIf extends RunCommand {
        /** One option per changeable setting, without a default: only what is given changes. */
        public static final class Settings implements CommandLine.IModelTransformer {
            @Override
            public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec command) {
                for (Setting<?> s : WHAT_IF_SETTINGS) {
                    command.addOption(CommandLine.Model.OptionSpec.builder("--" + s.name()).type(String.class).arity("1")
                            .paramLabel("<" + s.name() + ">").userObject(s)
                            .description(s.doc().replace("%", "%%") + " (default: as logged).").build());
                }
                return command;
            }
        }

        @Override
        int run(RunLog log, PrintWriter out) {
            Map<Setting<?>, String> changes = new LinkedHashMap<>();
            for (Setting<?> s : WHAT_IF_SETTINGS) {
                CommandLine.Model.OptionSpec o = spec.findOption("--" + s.name());
                if (o.getValue() != null) {
                    changes.put(s, o.getValue());
                }
            }
            if (changes.isEmpty()) {
                throw new IllegalArgumentException("Name at least one setting to change, e.g. --tau 0.99 or --target 0.4");
            }
            try {
                out.print(Counterfactual.of(log, changes).describe());
            } catch (InvalidRunConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return OK;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create the job's Ed25519 signing key pair (PEM files; the private one readable by its owner only).")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "Private key to write (PKCS#8 PEM).")
        Path privateKey;

        @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "Public key to write (X.509 PEM).")
        Path publicKey;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                VerifyingKey k = SigningKey.generate(privateKey, publicKey);
                spec.commandLine().getOut().printf(Locale.ROOT, "Wrote %s (keep secret) and %s; key id %s%n", privateKey,
                        publicKey, k.keyId());
                return OK;
            } catch (IOException e) {
                spec.commandLine().getErr().println("audit keygen: " + e.getMessage());
                return UNREADABLE;
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Rebuild the pruned architecture from the log alone and check it against the published model and manifest.")
    static final class Replay extends RunCommand {
        @Option(names = "--model", paramLabel = "FILE", description = "Model file (default: ModelPublished.uri).")
        Path model;

        @Option(names = "--manifest", paramLabel = "FILE", description = "Manifest (default: manifest.json next to the model).")
        Path manifest;

        @Override
        int run(RunLog log, PrintWriter out) {
            PrunedArchitecture a = ArchitectureReplay.rebuild(log);
            out.printf(Locale.ROOT, "Run '%s': %s rebuilt from the log (%s)%n", a.runId(), a.architecture(),
                    a.tStar().isPresent() ? "pruned at t* = " + a.tStar().getAsInt() : "never pruned: dense");
            out.printf(Locale.ROOT, "  FLOPs %.3f -> %.3f M, params %d -> %d%n", a.before().mflops(), a.after().mflops(),
                    a.before().params(), a.after().params());
            out.printf(Locale.ROOT, "  %-16s %-9s %13s %13s%n", "layer", "type", "in/out before", "in/out after");
            for (PrunedArchitecture.LayerWidth l : a.layers()) {
                out.printf(Locale.ROOT, "  %-16s %-9s %13s %13s%s%n", l.layer(), l.type(), l.inBefore() + "/" + l.outBefore(),
                        l.inAfter() + "/" + l.outAfter(), l.changed() ? "" : "  (unchanged)");
            }
            for (String g : a.kept().groupIds()) {
                out.printf(Locale.ROOT, "  kept %s (%d of %d): %s%n", g, a.kept().keptCount(g), a.originalWidths().get(g),
                        java.util.Arrays.toString(a.kept().kept(g)));
            }
            VerificationResult r = ModelCheck.check(log, a, Optional.ofNullable(model), Optional.ofNullable(manifest));
            out.print(r.describe());
            return r.ok() ? OK : MISMATCH;
        }
    }
}
