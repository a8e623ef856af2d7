package org.ocsp.modelops.stability;

import java.util.List;

/**
 * Thrown by {@link StabilityConfig.Builder#build()} with every invalid setting at once, so a user
 * fixes a configuration in one pass instead of one error per run.
 *
 * <pre>{@code
 * try { builder.build(); } catch (InvalidStabilityConfigException e) { e.errors().forEach(System.err::println); }
 * }</pre>
 */
public final class InvalidStabilityConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public InvalidStabilityConfigException(List<String> errors) {
        super("Invalid stability configuration (" + errors.size() + (errors.size() == 1 ? " error" : " errors")
                + "):\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** One message per invalid setting, each "Invalid value V for configuration N: reason". */
    public List<String> errors() {
        return errors;
    }
}
