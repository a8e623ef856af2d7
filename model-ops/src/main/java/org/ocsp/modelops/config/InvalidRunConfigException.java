package org.ocsp.modelops.config;

import java.util.List;
import org.ocsp.modelops.setting.InvalidSettingsException;

/**
 * Thrown by {@link RunConfig.Builder#build()} with every problem of a run configuration at once.
 *
 * <pre>{@code
 * try { RunConfig.builder().set(RunConfigDef.EPOCHS, 0).build(); }
 * catch (InvalidRunConfigException e) { e.errors().forEach(System.err::println); }
 * }</pre>
 */
public final class InvalidRunConfigException extends InvalidSettingsException {
    private static final long serialVersionUID = 1L;

    public InvalidRunConfigException(List<String> errors) {
        super("Invalid run configuration", errors);
    }
}
