package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.chain.EventLinker;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;

/** Test helper: changed copies of a log (events decoded afresh from their bytes, changed, re-encoded). */
public final class Tamper {
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
            // The edit keeps what was read next to the event: a tamperer cannot make the job's signature anew.
            return LoggedEvent.of(copy, CODEC.encode(copy), e.position(), e.signature(), e.key());
        } catch (UnreadableRecordException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static <T extends SpecificRecord> RunLog change(RunLog log, Predicate<LoggedEvent> which, Class<T> type,
                                                    Consumer<T> change) {
        List<LoggedEvent> events = new ArrayList<>(log.inLogOrder());
        int i = indexOf(events, which);
        events.set(i, changed(events.get(i), type, change));
        return RunLog.of(log.runId(), events);
    }

    /**
     * The chain made whole again after an edit, as a forger with the job's code would: every
     * previousHash recomputed, and every job event signed with {@code key} (another key than the
     * job's) or, without one, left with the signature it had.
     */
    static RunLog relinked(RunLog log, Optional<SigningKey> key) {
        EventLinker linker = new EventLinker(CODEC, key);
        List<LoggedEvent> out = new ArrayList<>();
        String head = null;
        for (LoggedEvent e : log.inLogOrder()) {
            SpecificRecord copy = decode(e);
            if (head == null) {
                byte[] bytes = CODEC.encode(copy);
                head = EventChain.hash(bytes);
                out.add(LoggedEvent.of(copy, bytes, e.position(), Optional.empty(), e.key()));
                continue;
            }
            EventLinker.Linked l = linker.link(copy, head);
            head = l.hash();
            out.add(LoggedEvent.of(copy, l.bytes(), e.position(), key.isPresent() ? l.signature() : e.signature(), e.key()));
        }
        return RunLog.of(log.runId(), out);
    }

    private static SpecificRecord decode(LoggedEvent e) {
        try {
            return CODEC.decode(e.bytes());
        } catch (UnreadableRecordException ex) {
            throw new IllegalStateException(ex);
        }
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
