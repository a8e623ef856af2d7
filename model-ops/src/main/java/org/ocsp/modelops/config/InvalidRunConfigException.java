package org.ocsp.modelops.config;

import java.util.List;

/**
 * Thrown with every problem of a run configuration at once, each "Invalid value V for
 * configuration N: reason", so a user fixes all of them in one pass.
 *
 * <pre>{@code
 * try { RunConfig.builder().set(RunConfigDef.EPOCHS, 0).build(); }
 * catch (InvalidRunConfigException e) { e.errors().forEach(System.err::println); }
 * }</pre>
 */
public final class InvalidRunConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public InvalidRunConfigException(List<String> errors) {
        super("Invalid run configuration (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "):\n  "
                + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
