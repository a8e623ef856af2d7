package org.ocsp.flink.run;

import org.ocsp.flink.topics.KafkaConnection;
import java.util.Optional;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * Writes a run's RunStarted event (sequence 0, key = run id) to the run-requests topic; the job
 * admits it into the run log, and the run joins the stream at the next dataset epoch after that.
 *
 * <pre>{@code
 * RunStarted e = RunStarter.start("localhost:9092", Topics.defaults(), "run-50", spec);
 * }</pre>
 */
public final class RunStarter {
    private RunStarter() {
    }

    public static RunStarted start(KafkaConnection kafka, Topics topics, String runId, RunSpec spec) {
        return start(kafka, topics, runId, spec, Optional.empty());
    }

    /** @param signingKeyId the id of the key the job signs with ({@code VerifyingKey.keyId}), named in RunStarted */
    public static RunStarted start(KafkaConnection kafka, Topics topics, String runId, RunSpec spec,
                                   Optional<String> signingKeyId) {
        RunStarted event = RunSpecs.runStarted(runId, spec, signingKeyId);
        RunRequestWriter.send(kafka, topics, runId, EventCodec.create().encode(event), "RunStarted of run "
                + runId);
        return event;
    }
}
