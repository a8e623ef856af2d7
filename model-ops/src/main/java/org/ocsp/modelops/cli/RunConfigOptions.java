package org.ocsp.modelops.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.modelops.config.InvalidRunConfigException;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.setting.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Command-line options generated from {@link RunConfigDef}: one {@code --name} option per setting,
 * with the declaration's type, default and doc, so no command repeats them. Attach it in a
 * picocli model transformer, read it in the command.
 *
 * <pre>{@code
 * @Command(name = "train", modelTransformer = TrainCommand.Options.class)
 * class TrainCommand implements Callable<Integer> {
 *     @Spec CommandSpec spec;
 *     static final class Options implements IModelTransformer {
 *         public CommandSpec transform(CommandSpec c) {
 *             return RunConfigOptions.declare(c, RunConfigDef.ALL, Map.of());
 *         }
 *     }
 *     public Integer call() {
 *         RunConfigOptions options = RunConfigOptions.of(spec);
 *         RunConfig config = options.build(options.values());
 *         ...
 * }</pre>
 */
public final class RunConfigOptions {
    private final CommandSpec command;

    private RunConfigOptions(CommandSpec command) {
        this.command = command;
    }

    /**
     * Adds an option for each of {@code settings} to {@code command}. {@code defaultOverrides} gives a
     * command its own default for a setting whose meaning it shares (shown in its help).
     */
    public static CommandSpec declare(CommandSpec command, List<Setting<?>> settings,
                                      Map<Setting<?>, Object> defaultOverrides) {
        for (Setting<?> s : settings) {
            command.addOption(option(s, Optional.ofNullable(defaultOverrides.get(s)).or(() -> s.defaultValue().map(v -> v))));
        }
        return command;
    }

    /** The generated options of a command after parsing. */
    public static RunConfigOptions of(CommandSpec command) {
        return new RunConfigOptions(command);
    }

    /**
     * A builder with each generated run option's value (other commands' settings, such as the job's, are
     * not run settings): the one given on the command line, else the
     * command's default. Text that cannot be read is reported by {@link #build}, with every other
     * problem.
     */
    public RunConfig.Builder values() {
        RunConfig.Builder b = RunConfig.builder();
        for (OptionSpec o : command.options()) {
            Object v = o.getValue();
            if (o.userObject() instanceof Setting<?> s && RunConfigDef.ALL.contains(s) && v != null) {
                b.setText(s, String.valueOf(v));
            }
        }
        return b;
    }

    /** Whether the user gave {@code setting} on the command line (a command's own defaults yield to it). */
    public boolean given(Setting<?> setting) {
        return command.commandLine().getParseResult().hasMatchedOption("--" + setting.name());
    }

    /** @throws ParameterException with every problem (picocli prints it above the usage) */
    public RunConfig build(RunConfig.Builder b) {
        try {
            return b.build();
        } catch (InvalidRunConfigException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    private static OptionSpec option(Setting<?> s, Optional<Object> defaultValue) {
        String dflt = defaultValue.map(v -> format(s, v)).orElse(null);
        String doc = s.doc().replace("%", "%%")
                + (s.candidates().isEmpty() ? "" : ": " + String.join(", ", s.candidates()))
                + (dflt == null ? " (default: none)." : " (default: ${DEFAULT-VALUE}).");
        OptionSpec.Builder o = OptionSpec.builder("--" + s.name()).description(doc).userObject(s);
        if (s.type() == Boolean.class) {
            // Without fallbackValue "true" picocli turns a default-true flag off when it is given.
            o.type(boolean.class).negatable(true).fallbackValue("true").defaultValue(dflt == null ? "false" : dflt);
        } else {
            o.type(String.class).arity("1").paramLabel("<" + s.name() + ">").defaultValue(dflt);
        }
        return o.build();
    }

    @SuppressWarnings("unchecked")
    private static <T> String format(Setting<T> s, Object value) {
        return s.format((T) value);
    }
}
