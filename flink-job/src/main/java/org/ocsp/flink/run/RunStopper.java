package org.ocsp.flink.run;

import org.ocsp.flink.topics.KafkaConnection;
import java.time.Instant;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.control.RunStopRequested;

/**
 * Asks the job to stop a run now ({@code ocsp run stop}): a RunStopRequested on the run-requests topic (the job admits it into the log)
 * under the run's id. The trainer publishes the model as it stands, marked STOPPED in the
 * manifest and in ModelPublished (with who asked and why), and releases the run's state.
 *
 * <pre>{@code
 * RunStopper.stop("localhost:9092", Topics.defaults(), "run-50", "alice", "accurate enough");
 * }</pre>
 */
public final class RunStopper {
    private RunStopper() {
    }

    /** @param reason why, for the log; null if none */
    public static RunStopRequested stop(KafkaConnection kafka, Topics topics, String runId, String requestedBy,
                                        String reason) {
        RunIds.require(runId);
        RunStopRequested r = RunStopRequested.newBuilder().setRunId(runId).setRequestedBy(requestedBy).setReason(reason)
                .setRequestedAt(Instant.ofEpochMilli(System.currentTimeMillis())).build();
        RunRequestWriter.send(kafka, topics, runId, EventCodec.create().encode(r), "the stop request of run "
                + runId);
        return r;
    }
}
