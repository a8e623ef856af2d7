package org.ocsp.modelops.train;

import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.stability.EpochDecision;

/** Observes a run: progress inside an epoch, the decision at its start and its report at its end. */
public interface EpochListener {
    /** A listener that observes nothing. */
    EpochListener NONE = new EpochListener() { };

    default void onDecision(EpochDecision decision) {
    }

    /** The scores a decision's mask was selected from (float32 values) and the selection; before {@link #onDecision}. */
    default void onSelection(int epoch, GroupScores scores, Selection selection) {
    }

    default void onBatch(int epoch, Split split, int index, int count, StepResult result) {
    }

    default void onEpoch(EpochReport report) {
    }
}
