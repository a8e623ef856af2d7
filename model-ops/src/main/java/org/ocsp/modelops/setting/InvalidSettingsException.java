package org.ocsp.modelops.setting;

import java.util.List;

/**
 * Thrown with every problem of a set of settings at once, each "Invalid value V for configuration
 * N: reason", so a user fixes all of them in one pass.
 *
 * <pre>{@code
 * try { RunConfig.builder().set(RunConfigDef.EPOCHS, 0).build(); }
 * catch (InvalidSettingsException e) { e.errors().forEach(System.err::println); }
 * }</pre>
 */
public class InvalidSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> errors;

    public InvalidSettingsException(List<String> errors) {
        this("Invalid settings", errors);
    }

    /** {@code what} heads the message, e.g. "Invalid run configuration". */
    protected InvalidSettingsException(String what, List<String> errors) {
        super(what + " (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "):\n  "
                + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
