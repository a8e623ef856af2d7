package org.ocsp.flink.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RunEnd;
import org.ocsp.schemas.avro.event.RunFailed;
import org.ocsp.schemas.avro.event.RunRejected;

/**
 * Where a run is, read from its log alone: its state, the phase of its last epoch, the epochs it
 * completed, and when it last logged anything.
 *
 * <pre>{@code
 * RunStatus s = RunStatus.of(log);   // e.g. run-50 PRUNED (PRUNED), 7 epochs, last event 2026-12-03T14:01:22Z
 * }</pre>
 *
 * @param epochs epochs completed (EpochCompleted events)
 * @param detail for FAILED the stage and reason, for STOPPED who asked and why, otherwise empty
 */
public record RunStatus(String runId, State state, String phase, int epochs, Instant lastEvent, int events,
                        Optional<String> detail) {
    /** A run's state as the log shows it. */
    public enum State {
        /** Started, not pruned yet. */
        RUNNING,
        /** Past t*: the smaller network is being fine-tuned. */
        PRUNED,
        /** Published its model after its last planned epoch. */
        FINISHED,
        /** Stopped on request (ocsp run stop), its model published as it stood. */
        STOPPED,
        /** Ended by a fault of its own (RunFailed). */
        FAILED,
        /** Refused by the job's active-run limit before it trained (RunRejected). */
        REJECTED
    }

    public static RunStatus of(RunLog log) {
        Optional<RunFailed> failed = log.first(RecordType.RUN_FAILED, RunFailed.class);
        Optional<ModelPublished> published = log.first(RecordType.MODEL_PUBLISHED,
                ModelPublished.class);
        boolean stopped = published.isPresent()
                && published.get().getEndedBy() == RunEnd.STOPPED;
        Optional<RunRejected> rejected = log.first(RecordType.RUN_REJECTED,
                RunRejected.class);
        State state = rejected.isPresent() ? State.REJECTED : failed.isPresent() ? State.FAILED : stopped ? State.STOPPED
                : published.isPresent() ? State.FINISHED
                : log.first(RecordType.PRUNING_EVENT, PruningEvent.class).isPresent()
                ? State.PRUNED : State.RUNNING;
        int epochs = log.all(RecordType.EPOCH_COMPLETED, EpochCompleted.class).size();
        String phase = "-";
        if (log.findRunStarted().isPresent()) {
            List<RunTimeline.Row> rows = RunTimeline.of(log).rows();
            phase = rows.isEmpty() ? RunTimeline.DENSE : rows.get(rows.size() - 1).phase();
        }
        Instant last = log.ordered().stream().map(e -> e.header().getEventTime()).max(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
        return new RunStatus(log.runId(), state, phase, epochs, last, log.inLogOrder().size(),
                rejected.map(r -> r.getReason().toString()).or(() -> failed.map(f -> "stage " + f.getStage() + ": " + f.getReason()))
                        .or(() -> stopped ? Optional.ofNullable(published.get().getStopReason()) : Optional.empty()));
    }

    static String header() {
        return String.format(Locale.ROOT, "%-24s %-9s %-13s %6s  %-24s %6s%n", "run", "state", "phase", "epochs",
                "last event (UTC)", "events");
    }

    String line() {
        return String.format(Locale.ROOT, "%-24s %-9s %-13s %6d  %-24s %6d%n", runId, state, phase, epochs, lastEvent,
                events) + detail.map(d -> "    " + d + "\n").orElse("");
    }

    /** The table {@code ocsp run list} prints. */
    public static String table(Collection<RunStatus> runs) {
        StringBuilder sb = new StringBuilder(header());
        runs.forEach(r -> sb.append(r.line()));
        return sb.toString();
    }
}
