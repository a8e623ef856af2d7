package org.ocsp.flink.job;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.deadletter.DeadLetter;

/** The dead letters an operator under test sent to its side output, decoded from their bytes. */
final class EmittedDeadLetters {
    private static final EventCodec CODEC = EventCodec.create();

    private EmittedDeadLetters() {
    }

    static List<DeadLetter> of(AbstractStreamOperatorTestHarness<?> h) throws UnreadableRecordException {
        List<DeadLetter> out = new ArrayList<>();
        if (h.getSideOutput(DeadLetters.TAG) != null) {
            for (StreamRecord<OutRecord> r : h.getSideOutput(DeadLetters.TAG)) {
                out.add(CODEC.decode(r.getValue().value, DeadLetter.class));
            }
        }
        return out;
    }
}
