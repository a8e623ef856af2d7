package org.ocsp.flink.job.deadletter;

/** An input record the job cannot use (it goes to dead letters with this message). */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
