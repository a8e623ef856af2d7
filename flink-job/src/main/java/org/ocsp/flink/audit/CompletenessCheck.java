package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.RunEnd;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * Whether the log holds the whole run: RunStarted, an EpochCompleted for every epoch up to the
 * last planned one, and ModelPublished; or, for a run that FAILED or was STOPPED, every epoch
 * before the one its RunFailed or ModelPublished names. A log can be consistent with itself and still be cut
 * short (a truncated tail, a deleted ModelPublished); that makes it INCOMPLETE, not a mismatch, so
 * a run still in progress is told apart from a forged one. A run without planned epochs is
 * complete up to its last epoch; only its order and chain are checked.
 */
final class CompletenessCheck {
    private CompletenessCheck() {
    }

    /** @return what is missing, one line each; empty when the log is complete */
    static List<String> run(RunLog log) {
        List<String> missing = new ArrayList<>();
        if (log.findRunStarted().isEmpty()) {
            missing.add("RunStarted (sequence 0) is missing");
            return missing;
        }
        RunStarted started = log.runStarted();
        Integer planned = started.getSpec().getEpochsPlanned();
        Set<Integer> completed = new TreeSet<>();
        boolean published = false;
        Integer endedIn = null; // the epoch a run that ended early (failed, stopped, refused) ended in
        for (LoggedEvent e : log.ordered()) {
            if (e.type() == RecordType.EPOCH_COMPLETED) {
                completed.add(e.epoch());
            } else if (e.type() == RecordType.MODEL_PUBLISHED) {
                published = true;
                if (e.as(ModelPublished.class).getEndedBy() == RunEnd.STOPPED) {
                    endedIn = e.epoch(); // ended early on request, in this epoch
                }
            } else if (e.type() == RecordType.RUN_FAILED || e.type() == RecordType.RUN_REJECTED) {
                endedIn = e.epoch(); // ended early on a fault of its own, or refused before training (epoch 0)
            }
        }
        // A failed run ended where it failed: the epochs before it must be there, no model is due.
        int last = endedIn != null ? endedIn - 1
                : planned == null ? completed.stream().mapToInt(Integer::intValue).max().orElse(-1) : planned - 1;
        List<Integer> absent = new ArrayList<>();
        for (int t = 0; t <= last; t++) {
            if (!completed.contains(t)) {
                absent.add(t);
            }
        }
        if (!absent.isEmpty()) {
            missing.add("EpochCompleted missing for " + (absent.size() == 1 ? "epoch " + absent.get(0) : absent.size()
                    + " epochs, first " + absent.get(0) + ", last " + absent.get(absent.size() - 1)) + " of the "
                    + (planned == null ? "epochs trained" : planned + " planned"));
        }
        if (planned != null && !published && endedIn == null) { // a stopped run published its model too
            missing.add("ModelPublished is missing: the run published no model" + (absent.isEmpty() ? ""
                    : " (still training, or the log was cut short)"));
        }
        return missing;
    }
}
