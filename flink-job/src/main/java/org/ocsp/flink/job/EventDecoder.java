package org.ocsp.flink.job;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.ocsp.flink.chain.VerifyingKey;
import org.ocsp.flink.chain.SigningKey;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.job.deadletter.BadInputException;
import org.ocsp.flink.job.deadletter.DeadLetterRoute;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.run.RunIds;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.control.RunStopRequested;
import org.ocsp.schemas.avro.event.EventHeader;

/**
 * Events topic records to {@link ControlEvent} (type, run, sequence; a RunStopRequested has no
 * sequence); unreadable ones go to dead
 * letters, and so does an event whose run id is not a valid one ({@link RunIds}) or whose Kafka key
 * is not its header's run id: every writer keys a
 * run's events by its id and the audit reads them by key, so such an event would steer the
 * trainer without being audited.
 */
public final class EventDecoder extends ProcessFunction<RawRecord, ControlEvent> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "decode-event";

    private final DeadLetterRoute route;
    /** The job's signing key file, or null: then the events' signatures are not checked here. */
    private final String signingKeyFile;
    private transient VerifyingKey jobKey;

    public EventDecoder(DeadLetters deadLetters) {
        this(deadLetters, JobSettingDef.MAX_EVENT_RECORD_BYTES.defaultValue().orElseThrow());
    }

    /** @param maxRecordBytes {@link JobSettingDef#MAX_EVENT_RECORD_BYTES} */
    public EventDecoder(DeadLetters deadLetters, long maxRecordBytes) {
        this(deadLetters, maxRecordBytes, null);
    }

    /**
     * @param signingKeyFile the job's {@link JobSettingDef#SIGNING_KEY_FILE}, or null. With it, every
     *     event must carry the job's own signature, or it is a dead letter and never steers a run:
     *     the job is the log's only writer (it admits the operators' requests itself, signed, see
     *     {@link RunRequestGate}), so an unsigned record there came from someone the ACLs should
     *     not have let in, or from a release before the run-requests topic.
     */
    public EventDecoder(DeadLetters deadLetters, long maxRecordBytes, String signingKeyFile) {
        this.route = new DeadLetterRoute(deadLetters, maxRecordBytes, JobSettingDef.MAX_EVENT_RECORD_BYTES.name());
        this.signingKeyFile = signingKeyFile;
    }

    @Override
    public void open(OpenContext ctx) {
        route.open(getRuntimeContext());
        if (signingKeyFile != null) {
            try {
                jobKey = SigningKey.read(Path.of(signingKeyFile)).publicKey();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + JobSettingDef.SIGNING_KEY_FILE + " "
                        + signingKeyFile, e);
            }
        }
    }

    /** Why an event is not the job's own, if it is not. */
    private Optional<String> notTheJobs(RawRecord raw, RecordType type) {
        if (jobKey == null) {
            return Optional.empty();
        }
        if (raw.signature == null) {
            return Optional.of("The " + type.recordName() + " is not signed: only the job writes the run log, and "
                    + "the job signs what it writes (key " + jobKey.keyId() + "); requests go to the run-requests topic");
        }
        if (!jobKey.keyId().equals(raw.signingKeyId) || !jobKey.verifies(raw.value, raw.signature)) {
            return Optional.of("The " + type.recordName() + " is not signed by this job's key "
                    + jobKey.keyId() + " (signed as " + raw.signingKeyId + "): only the job writes it");
        }
        return Optional.empty();
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ControlEvent> out) {
        Optional<OutRecord> tooBig = route.oversized(raw, STAGE);
        if (tooBig.isPresent()) {
            ctx.output(DeadLetters.TAG, tooBig.get());
            return;
        }
        try {
            SpecificRecord record = route.codec().decode(raw.value);
            RecordType type = RecordType.of(record);
            String runId;
            long sequence = -1; // a request is not an event of the run's log: it has no sequence
            int epoch = -1;
            if (record instanceof RunStopRequested stop) {
                runId = String.valueOf(stop.getRunId());
            } else {
                EventHeader h = RecordType.headerOf(record).orElseThrow(() -> new BadInputException(
                        "Expected an event or a run request on the events topic, got a " + type.recordName()));
                runId = h.getRunId();
                sequence = h.getSequence();
                epoch = h.getEpoch();
            }
            Optional<String> badId = RunIds.problem(runId);
            if (badId.isPresent()) { // it would name the run's state and model directory
                throw new BadInputException(badId.get() + " (in a " + type.recordName() + ")");
            }
            Optional<String> forged = notTheJobs(raw, type);
            if (forged.isPresent()) {
                ctx.output(DeadLetters.TAG, route.reject(route.deadLetters().of(raw.topic, raw.partition, raw.offset,
                        raw.key, raw.value, STAGE, BadInputException.class.getName(), forged.get(), runId, null,
                        route.codec())));
                return;
            }
            String key = raw.key == null ? null : new String(raw.key, StandardCharsets.UTF_8);
            if (!runId.equals(key)) {
                throw new BadInputException((key == null ? "The record has no key" : "The record's key is '" + key + "'")
                        + " but its " + type.recordName() + " belongs to run '" + runId
                        + "': a run's events are keyed by its id, as the audit reads them");
            }
            ControlEvent e = new ControlEvent();
            e.runId = runId;
            e.type = type;
            e.sequence = sequence;
            e.epoch = epoch;
            e.value = raw.value;
            e.key = raw.key;
            e.topic = raw.topic;
            e.partition = raw.partition;
            e.offset = raw.offset;
            out.collect(e);
        } catch (UnreadableRecordException | BadInputException e) {
            ctx.output(DeadLetters.TAG, route.reject(raw, STAGE, e));
        }
    }
}
