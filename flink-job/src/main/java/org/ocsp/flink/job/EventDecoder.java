package org.ocsp.flink.job;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.flink.job.deadletter.BadInputException;
import org.ocsp.flink.job.deadletter.DeadLetterRoute;
import org.ocsp.flink.job.deadletter.DeadLetters;

/** Events topic records to {@link ControlEvent} (type, run, sequence); unreadable ones go to dead letters. */
public final class EventDecoder extends ProcessFunction<RawRecord, ControlEvent> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "decode-event";

    private final DeadLetterRoute route;

    public EventDecoder(DeadLetters deadLetters) {
        this.route = new DeadLetterRoute(deadLetters);
    }

    @Override
    public void open(OpenContext ctx) {
        route.open(getRuntimeContext());
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ControlEvent> out) {
        try {
            SpecificRecord record = route.codec().decode(raw.value);
            RecordType type = RecordType.of(record);
            EventHeader h = RecordType.headerOf(record).orElseThrow(() -> new BadInputException(
                    "Expected an event on the events topic, got a " + type.recordName()));
            ControlEvent e = new ControlEvent();
            e.runId = h.getRunId();
            e.type = type;
            e.sequence = h.getSequence();
            e.epoch = h.getEpoch();
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
