package org.ocsp.modelops.data;

/**
 * Which part of an epoch a batch belongs to: every epoch is all its TRAIN batches (shuffled,
 * augmented) followed by all its EVAL batches (test set, fixed order, not augmented).
 *
 * <pre>{@code
 * if (batch.split() == Split.TRAIN) { trainStep(batch); } else { evaluate(batch); }
 * }</pre>
 */
public enum Split {
    TRAIN,
    EVAL
}
