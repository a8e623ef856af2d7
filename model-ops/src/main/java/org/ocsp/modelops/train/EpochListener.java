package org.ocsp.modelops.train;

import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.stability.EpochDecision;

/** Observes a run: progress inside an epoch, the decision at its start and its report at its end. */
public interface EpochListener {
    default void onDecision(EpochDecision decision) {
    }

    default void onBatch(int epoch, Split split, int index, int count, StepResult result) {
    }

    default void onEpoch(EpochReport report) {
    }
}
