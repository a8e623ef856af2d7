package org.ocsp.flink.job;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.ocsp.schemas.EventCodec;

/**
 * What every operator that reads raw records needs to reject one: the codec, the dead-letter
 * builder and the {@code deadLetters} counter, set up in the operator's {@code open}.
 *
 * <pre>{@code
 * route.open(getRuntimeContext());
 * ctx.output(DeadLetters.TAG, route.reject(raw, STAGE, e));
 * }</pre>
 */
final class DeadLetterRoute implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final DeadLetters deadLetters;
    private transient EventCodec codec;
    private transient Counter rejected;

    DeadLetterRoute(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    void open(RuntimeContext ctx) {
        codec = EventCodec.create();
        rejected = ctx.getMetricGroup().counter("deadLetters");
    }

    EventCodec codec() {
        return codec;
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Counts the rejection and builds its dead letter. */
    OutRecord reject(RawRecord raw, String stage, Throwable error) {
        rejected.inc();
        return deadLetters.of(raw, stage, error, codec);
    }

    /** Counts a rejection whose dead letter the caller builds (with run or config context). */
    OutRecord reject(OutRecord deadLetter) {
        rejected.inc();
        return deadLetter;
    }
}
