package org.ocsp.flink.job.run;

import java.util.Objects;
import java.util.Optional;

/**
 * A failure that belongs to one run (its spec, its data, its decisions, its model): it ends that
 * run as FAILED, with a RunFailed event and a dead letter for the input that caused it, and every
 * other run goes on. Checked, and thrown only where such a fault is recognised, so that a bug
 * (an unchecked exception anywhere else) still fails the job instead of passing for bad input.
 */
public final class RunFault extends Exception {
    private static final long serialVersionUID = 1L;

    /** Where a run can fail. */
    public enum Stage {
        /** Building the run's model and optimiser from its spec. */
        START,
        /** Training or evaluating a batch. */
        TRAIN,
        /** Applying a decision read back from the log. */
        DECISION;

        /** The name in RunFailed.stage. */
        public String logName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Stage stage;
    private final String input;

    public RunFault(Stage stage, String reason, String input, Throwable cause) {
        super(reason, cause);
        this.stage = Objects.requireNonNull(stage, "stage");
        this.input = input;
    }

    public Stage stage() {
        return stage;
    }

    /** The input that caused it, as RunFailed.input names it. */
    public Optional<String> input() {
        return Optional.ofNullable(input);
    }
}
