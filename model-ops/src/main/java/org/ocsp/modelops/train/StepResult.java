package org.ocsp.modelops.train;

/** Outcome of one batch: mean loss and number of correct predictions out of {@code size}. */
public record StepResult(double loss, int correct, int size) {
}
