package org.ocsp.flink.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.job.deadletter.BadInputException;
import org.ocsp.flink.job.deadletter.DeadLetterRoute;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.run.RunIds;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.control.RunStopRequested;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * Admits the operators' run requests into the run log: a RunStarted or a RunStopRequested read
 * from the run-requests topic is copied, byte for byte and under the same key, to the events
 * topic, signed with the job's key. Anything else written there (a decision, a forged
 * ModelPublished, bytes that are not an event) is a dead letter and never reaches the log.
 *
 * <p>This is what lets the brokers' ACLs say "only the job writes decisions": the operators'
 * principal may write run-requests and nothing else, the job's principal is the only writer of the
 * events topic. A copy keeps the request's bytes, so the RunStarted the operator wrote is the
 * chain root the audit checks. The spec itself is judged later, where it was judged before
 * (fan-out and trainer): a request that is an event but an invalid spec is logged, then its
 * run is refused there with a reason the log shows.
 */
public final class RunRequestGate extends ProcessFunction<RawRecord, OutRecord> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "run-request";

    private final String eventsTopic;
    private final DeadLetterRoute route;
    /** The job's signing key file, or null: then copies are unsigned, as every event is. */
    private final String signingKeyFile;
    private transient SigningKey key;

    /**
     * @param maxRecordBytes {@link JobSettingDef#MAX_EVENT_RECORD_BYTES}
     * @param signingKeyFile {@link JobSettingDef#SIGNING_KEY_FILE}, or null
     */
    public RunRequestGate(String eventsTopic, DeadLetters deadLetters, long maxRecordBytes, String signingKeyFile) {
        this.eventsTopic = eventsTopic;
        this.route = new DeadLetterRoute(deadLetters, maxRecordBytes, JobSettingDef.MAX_EVENT_RECORD_BYTES.name());
        this.signingKeyFile = signingKeyFile;
    }

    @Override
    public void open(OpenContext ctx) throws IOException {
        route.open(getRuntimeContext());
        // A missing or unreadable key is the deployment's fault, not a request's: the job does not start.
        key = signingKeyFile == null ? null : SigningKey.read(Path.of(signingKeyFile));
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<OutRecord> out) {
        Optional<OutRecord> tooBig = route.oversized(raw, STAGE);
        if (tooBig.isPresent()) {
            ctx.output(DeadLetters.TAG, tooBig.get());
            return;
        }
        SpecificRecord request;
        try {
            request = route.codec().decode(raw.value);
        } catch (UnreadableRecordException e) {
            ctx.output(DeadLetters.TAG, route.reject(raw, STAGE, e));
            return;
        }
        String claimedRun = RecordType.headerOf(request).map(h -> h.getRunId())
                .orElse(request instanceof RunStopRequested stop ? String.valueOf(stop.getRunId()) : null);
        try {
            String runId = runIdOf(request);
            Optional<String> badId = RunIds.problem(runId);
            if (badId.isPresent()) {
                throw new BadInputException(badId.get());
            }
            String recordKey = raw.key == null ? null : new String(raw.key, StandardCharsets.UTF_8);
            if (!runId.equals(recordKey)) {
                throw new BadInputException((recordKey == null ? "The request has no key" : "The request's key is '"
                        + recordKey + "'") + " but it is for run '" + runId + "': requests are keyed by the run's id");
            }
            OutRecord copy = new OutRecord(eventsTopic, raw.key, raw.value);
            out.collect(key == null ? copy : copy.signed(key.sign(raw.value)));
        } catch (BadInputException e) {
            // Named by the run it claims (when that is a valid id), so `ocsp run list` and the DLQ's readers find it.
            String named = claimedRun != null && RunIds.problem(claimedRun).isEmpty() ? claimedRun : null;
            ctx.output(DeadLetters.TAG, route.reject(route.deadLetters().of(raw.topic, raw.partition, raw.offset,
                    raw.key, raw.value, STAGE, BadInputException.class.getName(), e.getMessage(), named, null,
                    route.codec())));
        }
    }

    private static String runIdOf(SpecificRecord request) throws BadInputException {
        if (request instanceof RunStarted started) {
            return started.getHeader().getRunId();
        }
        if (request instanceof RunStopRequested stop) {
            return String.valueOf(stop.getRunId());
        }
        throw new BadInputException("Only a RunStarted or a RunStopRequested may be written to the run-requests topic, "
                + "not a " + RecordType.of(request).recordName() + ": every other event is the job's own");
    }
}
