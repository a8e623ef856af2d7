package org.ocsp.flink.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.flink.job.JobSettingDef;
import org.ocsp.modelops.setting.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Command-line options generated from {@link JobSettingDef}: one typed {@code --name} option per
 * setting with the declaration's default and doc (picocli converts the text), so {@code job},
 * {@code demo} and {@code bench streaming} repeat none of them. A command may give a setting its
 * own default where its purpose differs (the demo checkpoints every second).
 *
 * <pre>{@code
 * @Command(name = "job", modelTransformer = JobCommand.Settings.class)
 * ... JobOptions.value(spec, JobSettingDef.PARALLELISM) ...
 * }</pre>
 */
public final class JobOptions {
    private JobOptions() {
    }

    /** Adds an option for each of {@code settings}; {@code defaultOverrides} are this command's own defaults. */
    public static CommandSpec declare(CommandSpec command, List<Setting<?>> settings,
                                      Map<Setting<?>, Object> defaultOverrides) {
        for (Setting<?> s : settings) {
            command.addOption(option(s, Optional.ofNullable(defaultOverrides.get(s)).or(() -> s.defaultValue().map(v -> v))));
        }
        return command;
    }

    /** The parsed value of a generated option (its default unless given). */
    public static <T> T value(CommandSpec command, Setting<T> s) {
        OptionSpec o = command.findOption("--" + s.name());
        if (o == null || o.userObject() != s) {
            throw new IllegalStateException("Command '" + command.name() + "' declares no option for " + s);
        }
        return s.type().cast(o.getValue());
    }

    private static OptionSpec option(Setting<?> s, Optional<Object> defaultValue) {
        String dflt = defaultValue.map(v -> format(s, v)).orElse(null);
        return OptionSpec.builder("--" + s.name()).type(s.type()).arity("1").paramLabel("<" + s.name() + ">")
                .defaultValue(dflt).userObject(s)
                .description(s.doc().replace("%", "%%") + (dflt == null ? "." : " (default: ${DEFAULT-VALUE}).")).build();
    }

    @SuppressWarnings("unchecked")
    private static <T> String format(Setting<T> s, Object value) {
        return s.format((T) value);
    }
}
