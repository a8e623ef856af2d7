package org.ocsp.modelops.stability;

import java.util.List;
import org.ocsp.modelops.setting.InvalidSettingsException;

/**
 * Thrown by {@link StabilityConfig.Builder#build()} with every invalid setting at once, so a user
 * fixes a configuration in one pass instead of one error per run.
 *
 * <pre>{@code
 * try { builder.build(); } catch (InvalidStabilityConfigException e) { e.errors().forEach(System.err::println); }
 * }</pre>
 */
public final class InvalidStabilityConfigException extends InvalidSettingsException {
    private static final long serialVersionUID = 1L;

    public InvalidStabilityConfigException(List<String> errors) {
        super("Invalid stability configuration", errors);
    }
}
