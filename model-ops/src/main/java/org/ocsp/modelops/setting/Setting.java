package org.ocsp.modelops.setting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One declared run setting: its name (also the command-line flag, without {@code --}), value type,
 * default, documentation and validator. Run settings are declared in {@code RunConfigDef} (the
 * stability search's own in {@code StabilitySettings}), job settings in flink-job's {@code JobSettingDef};
 * command lines, validation, generated docs and the Avro mapping all read from there.
 *
 * <pre>{@code
 * Setting<Integer> epochs = Setting.ofInt("epochs").optDefault(30).optValidator(Validator.atLeast(1))
 *         .setDoc("Planned epochs").build();
 * epochs.parse("12");                 // 12
 * epochs.problem(0);                  // Optional[Invalid value 0 for configuration epochs: must be >= 1]
 * }</pre>
 */
public final class Setting<T> {
    private final String name;
    private final Class<T> type;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final T defaultValue;
    private final String doc;
    private final Validator<? super T> validator;
    private final List<String> candidates;

    private Setting(Builder<T> b) {
        this.name = b.name;
        this.type = b.type;
        this.parser = b.parser;
        this.formatter = b.formatter;
        this.defaultValue = b.defaultValue;
        this.doc = b.doc;
        this.validator = b.validator;
        this.candidates = List.copyOf(b.candidates);
    }

    public static Builder<Integer> ofInt(String name) {
        return new Builder<>(name, Integer.class, Integer::valueOf, String::valueOf);
    }

    public static Builder<Long> ofLong(String name) {
        return new Builder<>(name, Long.class, Long::valueOf, String::valueOf);
    }

    public static Builder<Double> ofDouble(String name) {
        return new Builder<>(name, Double.class, Double::valueOf, String::valueOf);
    }

    public static Builder<Boolean> ofBoolean(String name) {
        return new Builder<>(name, Boolean.class, Setting::parseBoolean, String::valueOf);
    }

    public static Builder<String> ofString(String name) {
        return new Builder<>(name, String.class, s -> s, s -> s);
    }

    /** A comma-separated list of integers, e.g. {@code 1,28,28}. */
    @SuppressWarnings("unchecked")
    public static Builder<List<Integer>> ofIntList(String name) {
        return new Builder<>(name, (Class<List<Integer>>) (Class<?>) List.class,
                s -> Arrays.stream(s.split(",")).map(String::trim).map(Integer::valueOf).collect(Collectors.toUnmodifiableList()),
                l -> l.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    /** An enum setting; {@code aliases} are further accepted spellings (for example the Avro symbols). */
    public static <E extends Enum<E>> Builder<E> ofEnum(String name, Class<E> type, Map<String, E> aliases) {
        Map<String, E> accepted = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            accepted.put(e.name(), e);
        }
        Map<String, E> sortedAliases = new TreeMap<>(aliases);
        accepted.putAll(sortedAliases);
        String choices = "must be one of " + Arrays.toString(type.getEnumConstants())
                + (aliases.isEmpty() ? "" : " (also accepted: " + String.join(", ", sortedAliases.keySet()) + ")");
        Builder<E> b = new Builder<>(name, type, s -> {
            E e = accepted.get(s.trim().toUpperCase(Locale.ROOT));
            if (e == null) {
                throw new IllegalArgumentException(choices);
            }
            return e;
        }, Enum::name);
        b.candidates = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.toList());
        return b;
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** Empty for a setting that is unset unless given (for example {@code hard-cap}). */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String doc() {
        return doc;
    }

    /** The values an enum setting takes, in declaration order; empty for other types. */
    public List<String> candidates() {
        return candidates;
    }

    /** @throws InvalidSettingsException naming this setting, the text and why it cannot be read */
    public T parse(String text) {
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            String reason = e instanceof NumberFormatException ? "not a " + typeWord() : e.getMessage();
            throw new InvalidSettingsException(List.of(message("'" + text + "'", reason)));
        }
    }

    /** The text {@link #parse} turns back into {@code value}. */
    public String format(T value) {
        return formatter.apply(value);
    }

    /** Why {@code value} is not allowed for this setting, as a complete message; empty when it is. */
    public Optional<String> problem(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            return Optional.of(message(value, "must be of type " + type.getSimpleName()));
        }
        return validator.rejection(type.cast(value)).map(reason -> message(value, reason));
    }

    private String message(Object value, String reason) {
        return "Invalid value " + value + " for configuration " + name + ": " + reason;
    }

    private String typeWord() {
        return type == Integer.class || type == Long.class ? "whole number" : type == Double.class ? "number"
                : "list of whole numbers separated by commas";
    }

    private static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException("must be true or false");
    }

    @Override
    public String toString() {
        return name;
    }

    /** A markdown table of {@code settings}: flag, default and meaning (the README's tables come from here). */
    public static String markdownTable(List<Setting<?>> settings) {
        StringBuilder b = new StringBuilder("| flag | default | meaning |\n| --- | --- | --- |\n");
        for (Setting<?> s : settings) {
            b.append("| `--").append(s.name()).append("` | ").append(s.defaultText()).append(" | ").append(s.doc());
            if (!s.candidates().isEmpty()) {
                b.append(": ").append(String.join(", ", s.candidates()));
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    private String defaultText() {
        return defaultValue == null ? "none" : format(defaultValue);
    }

    /** Collects a declaration; {@link #build()} needs a name and a doc. */
    public static final class Builder<T> {
        private final String name;
        private final Class<T> type;
        private final Function<String, T> parser;
        private final Function<T, String> formatter;
        private T defaultValue;
        private String doc;
        private Validator<? super T> validator = Validator.any();
        private List<String> candidates = new ArrayList<>();

        private Builder(String name, Class<T> type, Function<String, T> parser, Function<T, String> formatter) {
            this.name = name;
            this.type = type;
            this.parser = parser;
            this.formatter = formatter;
        }

        public Builder<T> optDefault(T value) {
            this.defaultValue = value;
            return this;
        }

        public Builder<T> optValidator(Validator<? super T> v) {
            this.validator = v;
            return this;
        }

        public Builder<T> setDoc(String doc) {
            this.doc = doc;
            return this;
        }

        public Setting<T> build() {
            if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("Invalid value " + name + " for setting name: lower-case flag style "
                        + "(letters, digits, '-') expected");
            }
            if (doc == null || doc.isBlank()) {
                throw new IllegalArgumentException("Missing doc for setting " + name);
            }
            Setting<T> s = new Setting<>(this);
            if (defaultValue != null) {
                s.problem(defaultValue).ifPresent(p -> {
                    throw new IllegalArgumentException("Default of setting " + name + " is not valid: " + p);
                });
                Objects.requireNonNull(s.parse(s.format(defaultValue)));
            }
            return s;
        }
    }
}
