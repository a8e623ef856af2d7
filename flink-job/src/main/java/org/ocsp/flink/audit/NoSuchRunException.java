package org.ocsp.flink.audit;

/** The log holds no usable record of the requested run (no events, or no RunStarted). */
public final class NoSuchRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String runId;

    public NoSuchRunException(String runId, String reason) {
        super("Run '" + runId + "': " + reason);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
