package org.ocsp.flink.job.kafka;

/**
 * The batches topic cannot deliver waiting batches that are in its log: an infrastructure fault
 * (the broker is down or unreachable), so it fails the job and Flink's restart strategy takes over.
 * Never a dead letter: the batches are not bad, only out of reach.
 */
public final class BatchTopicUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BatchTopicUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
