package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * The events of one run, in the order they were read from the log (Kafka offset order or the
 * order of an export file). Nothing is dropped or reordered here: duplicates, gaps and
 * misordering stay visible for {@link DecisionVerifier}. {@link #ordered()} is the deduplicated
 * sequence-ordered view that timelines and reports use.
 *
 * <pre>{@code
 * RunLog log = RunLog.of("run-50", events);
 * log.runStarted().getSpec();
 * for (LoggedEvent e : log.ordered()) { ... }
 * }</pre>
 */
public final class RunLog {
    private final String runId;
    private final List<LoggedEvent> inLogOrder;
    private final List<LoggedEvent> ordered;

    private RunLog(String runId, List<LoggedEvent> inLogOrder) {
        this.runId = runId;
        this.inLogOrder = List.copyOf(inLogOrder);
        List<LoggedEvent> sorted = new ArrayList<>(inLogOrder);
        sorted.sort(Comparator.comparingLong(LoggedEvent::sequence)); // stable: first occurrence first
        Set<Long> seen = new HashSet<>();
        List<LoggedEvent> unique = new ArrayList<>();
        for (LoggedEvent e : sorted) {
            if (seen.add(e.sequence())) {
                unique.add(e);
            }
        }
        this.ordered = Collections.unmodifiableList(unique);
    }

    /**
     * @throws NoSuchRunException if there are no events (nothing was logged for the run id)
     */
    public static RunLog of(String runId, List<LoggedEvent> inLogOrder) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(inLogOrder, "events");
        if (inLogOrder.isEmpty()) {
            throw new NoSuchRunException(runId, "no events");
        }
        return new RunLog(runId, inLogOrder);
    }

    public String runId() {
        return runId;
    }

    /** Every event as read, duplicates included. */
    public List<LoggedEvent> inLogOrder() {
        return inLogOrder;
    }

    /** One event per sequence number (the first read), ascending by sequence. */
    public List<LoggedEvent> ordered() {
        return ordered;
    }

    /** The run's RunStarted (sequence 0), if it was logged. */
    public Optional<RunStarted> findRunStarted() {
        return ordered.stream().filter(e -> e.type() == RecordType.RUN_STARTED).findFirst()
                .map(e -> e.as(RunStarted.class));
    }

    /** @throws NoSuchRunException if the log has no RunStarted (the spec is needed to interpret it) */
    public RunStarted runStarted() {
        return findRunStarted().orElseThrow(() -> new NoSuchRunException(runId,
                "the log has no RunStarted event, so the run's spec is unknown"));
    }

    /** The events of one type, in sequence order (deduplicated). */
    public <T extends SpecificRecord> List<T> all(RecordType type, Class<T> cls) {
        List<T> out = new ArrayList<>();
        for (LoggedEvent e : ordered) {
            if (e.type() == type) {
                out.add(e.as(cls));
            }
        }
        return out;
    }

    /** The first event of a type for an epoch (header.epoch), in sequence order. */
    public <T extends SpecificRecord> Optional<T> at(RecordType type, Class<T> cls, int epoch) {
        return ordered.stream().filter(e -> e.type() == type && e.epoch() == epoch).findFirst().map(e -> e.as(cls));
    }

    /** The first event of a type, in sequence order. */
    public <T extends SpecificRecord> Optional<T> first(RecordType type, Class<T> cls) {
        return ordered.stream().filter(e -> e.type() == type).findFirst().map(e -> e.as(cls));
    }

    @Override
    public String toString() {
        return "RunLog{" + runId + ", " + inLogOrder.size() + " events}";
    }
}
