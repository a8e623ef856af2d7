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
    private transient EventCodec codec;
    private transient Counter rejected;

    public DeadLetterRoute(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    public void open(RuntimeContext ctx) {
        codec = EventCodec.create();
        rejected = ctx.getMetricGroup().counter("deadLetters");
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
