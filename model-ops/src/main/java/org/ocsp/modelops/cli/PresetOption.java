package org.ocsp.modelops.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunPreset;
import org.ocsp.modelops.setting.Setting;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --preset NAME}: a {@link RunPreset} under the run settings given on the command line (a picocli mixin). */
public final class PresetOption {
    @Option(names = "--preset", converter = PresetOption.Names.class, paramLabel = "<preset>",
            description = "Start from a named preset; settings given on the command line win: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PresetOption.Candidates.class)
    RunPreset preset;

    public Optional<RunPreset> preset() {
        return Optional.ofNullable(preset);
    }

    /** The preset's values under {@code b} where {@code given} does not name the setting; {@code b} unchanged without a preset. */
    public RunConfig.Builder applyTo(RunConfig.Builder b, Predicate<Setting<?>> given) {
        return preset == null ? b : preset.applyTo(b, given);
    }

    /** Preset names in lower case, as the command line takes them. */
    public static final class Names implements ITypeConverter<RunPreset> {
        @Override
        public RunPreset convert(String text) {
            for (RunPreset p : RunPreset.values()) {
                if (p.cliName().equals(text.toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new TypeConversionException("unknown preset '" + text + "' (known: " + new Candidates().joined() + ")");
        }
    }

    /** For the help text. */
    public static final class Candidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(RunPreset.values()).map(RunPreset::cliName).iterator();
        }

        String joined() {
            return Arrays.stream(RunPreset.values()).map(RunPreset::cliName).collect(Collectors.joining(", "));
        }
    }
}
