package org.ocsp.flink.job.deadletter;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.ocsp.schemas.EventCodec;
import org.ocsp.flink.job.OutRecord;
import org.ocsp.flink.job.RawRecord;

/**
 * What every operator that reads raw records needs to reject one: the codec, the dead-letter
 * builder and the {@code deadLetters} counter, set up in the operator's {@code open}.
 *
 * <pre>{@code
 * route.open(getRuntimeContext());
 * ctx.output(DeadLetters.TAG, route.reject(raw, STAGE, e));
 * }</pre>
 */
public final class DeadLetterRoute implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final DeadLetters deadLetters;
    private final long maxRecordBytes;
    private final String limitName;
    private transient EventCodec codec;
    private transient Counter rejected;
    private transient Counter overLimit;

    public DeadLetterRoute(DeadLetters deadLetters) {
        this(deadLetters, Long.MAX_VALUE, "none");
    }

    /** A route that also refuses records larger than {@code maxRecordBytes} (the setting {@code limitName}). */
    public DeadLetterRoute(DeadLetters deadLetters, long maxRecordBytes, String limitName) {
        this.deadLetters = deadLetters;
        this.maxRecordBytes = maxRecordBytes;
        this.limitName = limitName;
    }

    public void open(RuntimeContext ctx) {
        codec = EventCodec.create();
        rejected = ctx.getMetricGroup().counter("deadLetters");
        overLimit = ctx.getMetricGroup().counter("recordsOverLimit");
    }

    /** The dead letter of a record over the size limit, before anything decodes it; empty for one within it. */
    public java.util.Optional<OutRecord> oversized(RawRecord raw, String stage) {
        int size = raw.value == null ? 0 : raw.value.length;
        if (size <= maxRecordBytes) {
            return java.util.Optional.empty();
        }
        overLimit.inc();
        return java.util.Optional.of(reject(raw, stage, new BadInputException("The record has " + size
                + " bytes, more than the limit of " + maxRecordBytes + " (" + limitName + ")")));
    }

    public EventCodec codec() {
        return codec;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Counts the rejection and builds its dead letter. */
    public OutRecord reject(RawRecord raw, String stage, Throwable error) {
        rejected.inc();
        return deadLetters.of(raw, stage, error, codec);
    }

    /** Counts a rejection whose dead letter the caller builds (with run or config context). */
    public OutRecord reject(OutRecord deadLetter) {
        rejected.inc();
        return deadLetter;
    }
}
