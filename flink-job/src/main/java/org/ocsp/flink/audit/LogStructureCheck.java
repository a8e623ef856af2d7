package org.ocsp.flink.audit;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.RunEnd;

/**
 * Order and completeness of a run's log, from the headers alone:
 * <ul>
 *   <li>sequence numbers in log order: RunStarted first with 0, then +1 per event, no gaps, no repeats
 *       (a repeated sequence or event id is a duplicated event);</li>
 *   <li>every event carries the run's id, and was written under it as its Kafka key (the trainer and
 *       the audit read the same records: one keyed otherwise is reported here and dead-lettered there);</li>
 *   <li>epochs: EpochCompleted for 0, 1, 2, ... in order; the decision events for epoch t
 *       (MaskSnapshot, RegularizationStarted, PenaltyChanged, PruningEvent) come after
 *       EpochCompleted(t - 2) and before EpochCompleted(t) (the trainer must have them before it
 *       trains epoch t), at most one of each kind per epoch, in non-decreasing epoch order;
 *       ModelPublished after the last EpochCompleted, for its epoch, and nothing after it; or
 *       RunFailed, for the epoch it failed in, and nothing after it.</li>
 * </ul>
 */
final class LogStructureCheck {
    private static final Set<RecordType> DECISIONS = Set.of(RecordType.MASK_SNAPSHOT,
            RecordType.REGULARIZATION_STARTED, RecordType.PENALTY_CHANGED, RecordType.PRUNING_EVENT);

    private LogStructureCheck() {
    }

    static void run(RunLog log, Checks checks) {
        sequences(log, checks);
        epochs(log.ordered(), checks);
    }

    private static void sequences(RunLog log, Checks checks) {
        List<LoggedEvent> events = log.inLogOrder();
        LoggedEvent first = events.get(0);
        checks.check(first.type() == RecordType.RUN_STARTED && first.sequence() == 0,
                () -> Mismatch.of(first, "header.sequence", "the log must start with RunStarted (sequence 0), but starts with "
                        + first.describe()));
        Map<Long, LoggedEvent> bySequence = new HashMap<>();
        Map<String, LoggedEvent> byId = new HashMap<>();
        long expected = 0;
        for (LoggedEvent e : events) {
            checks.check(e.runId().equals(log.runId()), () -> Mismatch.of(e, "header.runId",
                    e.describe() + " belongs to run '" + e.runId() + "', found in the log of run '" + log.runId() + "'"));
            e.key().ifPresent(k -> checks.check(k.equals(e.runId()), () -> Mismatch.of(e, "key", e.describe()
                    + " was written under the Kafka key '" + k + "', not its run id: the trainer dead-letters such an "
                    + "event instead of applying it, and it was not written by the job")));
            if (e.type() == RecordType.RUN_STARTED) {
                checks.check(e.sequence() == 0, () -> Mismatch.of(e, "header.sequence",
                        "RunStarted must have sequence 0, logged " + e.sequence()));
            }
            LoggedEvent sameSequence = bySequence.putIfAbsent(e.sequence(), e);
            LoggedEvent sameId = byId.putIfAbsent(e.eventId(), e);
            boolean fresh = checks.check(sameSequence == null, () -> Mismatch.of(e, "header.sequence",
                    "duplicated event: sequence " + e.sequence() + " (" + e.type().recordName() + ") was already logged as "
                            + sameSequence.describe() + (sameSequence.eventId().equals(e.eventId())
                            ? ", same eventId " + e.eventId() : ", eventIds " + sameSequence.eventId() + " and " + e.eventId())));
            if (!fresh) {
                continue;
            }
            checks.check(sameId == null, () -> Mismatch.of(e, "header.eventId", "duplicated event: eventId " + e.eventId()
                    + " of " + e.describe() + " was already used by " + sameId.describe()));
            long want = expected;
            if (e.sequence() > want) {
                checks.check(false, () -> Mismatch.of(e, "header.sequence", "gap: sequence " + (e.sequence() - want == 1
                        ? Long.toString(want) : want + ".." + (e.sequence() - 1)) + " missing before " + e.describe()
                        + " (lost " + (e.sequence() - want == 1 ? "event" : "events") + ")"));
                expected = e.sequence() + 1;
            } else if (e.sequence() < want) {
                checks.check(false, () -> Mismatch.of(e, "header.sequence", "out of order: " + e.describe()
                        + " logged after sequence " + (want - 1)));
            } else {
                checks.check(true, () -> null);
                expected++;
            }
        }
    }

    private static void epochs(List<LoggedEvent> ordered, Checks checks) {
        int completed = 0;
        int lastDecisionEpoch = -1;
        LoggedEvent ended = null; // the run's last event: ModelPublished, RunFailed or RunRejected
        Map<RecordType, Set<Integer>> decided = new EnumMap<>(RecordType.class);
        for (LoggedEvent e : ordered) {
            if (e.type() == RecordType.RUN_STARTED) {
                continue;
            }
            LoggedEvent pub = ended;
            checks.check(pub == null, () -> Mismatch.of(e, e.type().recordName(), e.describe()
                    + " logged after " + pub.type().recordName() + " #" + pub.sequence() + "; a run ends with "
                    + "ModelPublished, RunFailed or RunRejected"));
            int t = e.epoch();
            if (e.type() == RecordType.EPOCH_COMPLETED) {
                int want = completed;
                checks.check(t == want, () -> Mismatch.of(e, "EpochCompleted.header.epoch", "expected epoch " + want
                        + " next (epochs complete in order 0, 1, 2, ...), logged " + t
                        + (t > want ? ": EpochCompleted of epoch " + (t - 1 == want ? want : want + ".." + (t - 1)) + " missing"
                        : ": epoch " + t + " completed twice")));
                completed = Math.max(completed, t + 1);
            } else if (DECISIONS.contains(e.type())) {
                int done = completed;
                checks.check(t == done || t == done + 1, () -> Mismatch.of(e, e.type().recordName() + ".header.epoch",
                        "decision for epoch " + t + " logged when " + done + (done == 1 ? " epoch had" : " epochs had")
                                + " completed; it must follow EpochCompleted(" + (t - 2) + ") and precede EpochCompleted("
                                + t + ")"));
                int last = lastDecisionEpoch;
                checks.check(t >= last, () -> Mismatch.of(e, e.type().recordName() + ".header.epoch",
                        "decision for epoch " + t + " logged after a decision for epoch " + last));
                lastDecisionEpoch = Math.max(lastDecisionEpoch, t);
                boolean first = decided.computeIfAbsent(e.type(), k -> new HashSet<>()).add(t);
                checks.check(first, () -> Mismatch.of(e, e.type().recordName(), "a second " + e.type().recordName()
                        + " for epoch " + t + " (one per epoch)"));
            } else if (e.type() == RecordType.RUN_REJECTED) {
                int done = completed;
                checks.check(t == 0 && done == 0, () -> Mismatch.of(e, "RunRejected.header.epoch", "a refused run never "
                        + "trains, but this one is logged for epoch " + t + " after " + done + " completed epochs"));
                ended = e;
            } else if (e.type() == RecordType.RUN_FAILED) {
                int done = completed;
                checks.check(t == done, () -> Mismatch.of(e, "RunFailed.header.epoch", "logged for epoch " + t
                        + " but " + done + (done == 1 ? " epoch had" : " epochs had") + " completed: a run fails in the "
                        + "epoch after its last completed one"));
                ended = e;
            } else if (e.type() == RecordType.MODEL_PUBLISHED) {
                int done = completed;
                if (e.as(ModelPublished.class).getEndedBy() == RunEnd.STOPPED) {
                    checks.check(t == done, () -> Mismatch.of(e, "ModelPublished.header.epoch", "a run stopped in epoch "
                            + t + ", but " + done + (done == 1 ? " epoch had" : " epochs had") + " completed: it stops "
                            + "in the epoch after its last completed one"));
                } else {
                    checks.check(done > 0 && t == done - 1, () -> Mismatch.of(e, "ModelPublished.header.epoch",
                            "logged for epoch " + t + " but the last completed epoch is " + (done - 1)));
                }
                ended = e;
            }
        }
    }
}
