package org.ocsp.modelops.stability;

import java.io.IOException;

/**
 * Serialised stability state that cannot be read: unknown format version, corrupt or truncated
 * bytes, or values that do not form a valid state.
 *
 * <pre>{@code
 * try { state = StabilityStateSerializer.fromBytes(bytes); }
 * catch (StabilityStateFormatException e) { throw new IllegalStateException("checkpoint unusable", e); }
 * }</pre>
 */
public final class StabilityStateFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public StabilityStateFormatException(String message) {
        super(message);
    }

    public StabilityStateFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
