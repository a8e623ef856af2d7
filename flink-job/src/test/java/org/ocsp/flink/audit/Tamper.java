package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;

/** Test helper: changed copies of a log (events decoded afresh from their bytes, changed, re-encoded). */
final class Tamper {
    private static final EventCodec CODEC = EventCodec.create();

    private Tamper() {
    }

    static int indexOf(List<LoggedEvent> events, Predicate<LoggedEvent> which) {
        for (int i = 0; i < events.size(); i++) {
            if (which.test(events.get(i))) {
                return i;
            }
        }
        throw new IllegalStateException("No such event in the fixture log");
    }

    /** The event with a change applied to a fresh copy of its record. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> LoggedEvent changed(LoggedEvent e, Class<T> type, Consumer<T> change) {
        try {
            SpecificRecord any = CODEC.decode(e.bytes());
            T copy = type.cast(any);
            change.accept(copy);
            return LoggedEvent.of(copy, CODEC.encode(copy), e.position());
        } catch (UnreadableRecordException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static <T extends SpecificRecord> RunLog change(RunLog log, Predicate<LoggedEvent> which, Class<T> type,
                                                    Consumer<T> change) {
        List<LoggedEvent> events = new ArrayList<>(log.inLogOrder());
        int i = indexOf(events, which);
        events.set(i, changed(events.get(i), type, change));
        return RunLog.of(log.runId(), events);
    }

    /** Every event of the log changed the same way (e.g. a forger rewriting every header). */
    static RunLog changeAll(RunLog log, Consumer<SpecificRecord> change) {
        List<LoggedEvent> out = new ArrayList<>();
        for (LoggedEvent e : log.inLogOrder()) {
            out.add(changed(e, SpecificRecord.class, change));
        }
        return RunLog.of(log.runId(), out);
    }
}
