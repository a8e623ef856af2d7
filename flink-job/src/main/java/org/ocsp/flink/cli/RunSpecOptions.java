package org.ocsp.flink.cli;

import java.util.Map;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.cli.RunConfigOptions;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.schemas.avro.event.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The run specification as command-line options (shared by {@code run start} and {@code demo}):
 * every setting of {@link RunConfigDef}, generated from the declaration, plus the stream-only
 * {@code --dataset}.
 */
@Command(modelTransformer = RunSpecOptions.Declared.class)
final class RunSpecOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--dataset", description = "Train only on batches of this dataset name (default: any).")
    String dataset;

    /** Adds the declared settings' options (picocli calls it once the annotations are read). */
    public static final class Declared implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec mixin) {
            return RunConfigOptions.declare(mixin, RunConfigDef.ALL, Map.of());
        }
    }

    /** The values given on the command line, the declared defaults for the rest. */
    RunConfig.Builder values() {
        return RunConfigOptions.of(command).values();
    }

    boolean given(Setting<?> setting) {
        return RunConfigOptions.of(command).given(setting);
    }

    RunSpec toSpec() {
        return toSpec(values());
    }

    /** @throws picocli.CommandLine.ParameterException for invalid settings, InvalidRunSpecException for the log's rules */
    RunSpec toSpec(RunConfig.Builder values) {
        return RunSpecs.toSpec(RunConfigOptions.of(command).build(values), dataset);
    }
}
