package org.ocsp.flink.job.deadletter;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.ocsp.schemas.EventCodec;
import org.ocsp.flink.job.BatchAddress;
import org.ocsp.flink.job.ControlEvent;
import org.ocsp.flink.job.RunBatch;
import org.ocsp.flink.job.Trainer;
import org.ocsp.flink.job.kafka.BatchPayload;
import org.ocsp.flink.job.run.RunLifecycle;

/** Turns a batch or event the trainer cannot use into a dead letter on the side output, and counts it. */
public final class RejectedInput {
    private final DeadLetters deadLetters;
    private final EventCodec codec;
    private final Counter counter;

    public RejectedInput(DeadLetters deadLetters, EventCodec codec, Counter counter) {
        this.deadLetters = deadLetters;
        this.codec = codec;
        this.counter = counter;
    }

    public void batch(KeyedCoProcessFunction<String, ?, ?, ?>.Context ctx, RunLifecycle run, RunBatch b, String reason) {
        counter.inc();
        byte[] payload = BatchPayload.encode(b, codec);
        ctx.output(DeadLetters.TAG, deadLetters.of(b.topic, b.partition, b.offset, null, payload, Trainer.STAGE,
                BadInputException.class.getName(), reason, ctx.getCurrentKey(), run.configHash(), codec));
    }

    /** A waiting batch known only by its address: it could not be read again. */
    public void unreadable(KeyedCoProcessFunction<String, ?, ?, ?>.Context ctx, RunLifecycle run, BatchAddress a, String reason) {
        counter.inc();
        ctx.output(DeadLetters.TAG, deadLetters.of(a.topic, a.partition, a.offset, null, null, Trainer.STAGE,
                IllegalStateException.class.getName(), reason, ctx.getCurrentKey(), run.configHash(), codec));
    }

    public void event(KeyedCoProcessFunction<String, ?, ?, ?>.Context ctx, ControlEvent e, String reason, String configHash) {
        counter.inc();
        ctx.output(DeadLetters.TAG, deadLetters.of(e.topic, e.partition, e.offset, e.key, e.value, Trainer.STAGE,
                BadInputException.class.getName(), reason, e.runId, configHash, codec));
    }
}
