package org.ocsp.flink.audit;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One disagreement between the log and what the auditor recomputed from it.
 *
 * <pre>{@code
 * Mismatch m = Mismatch.at(5, 17, "MaskSnapshot.similarity", "logged 0.8, recomputed 0.6");
 * System.out.println(m);  // epoch 5, MaskSnapshot.similarity (sequence 17): logged 0.8, recomputed 0.6
 * }</pre>
 *
 * @param epoch the run epoch concerned, when the mismatch belongs to one
 * @param sequence the sequence number of the event concerned, when there is one
 * @param field the event type and field, e.g. {@code PenaltyChanged.lambdaNew}, {@code header.sequence}
 * @param message what is wrong, with the logged and the recomputed values
 */
public record Mismatch(OptionalInt epoch, OptionalLong sequence, String field, String message) {
    public Mismatch {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    public static Mismatch at(int epoch, long sequence, String field, String message) {
        return new Mismatch(OptionalInt.of(epoch), OptionalLong.of(sequence), field, message);
    }

    public static Mismatch atEpoch(int epoch, String field, String message) {
        return new Mismatch(OptionalInt.of(epoch), OptionalLong.empty(), field, message);
    }

    public static Mismatch ofRun(String field, String message) {
        return new Mismatch(OptionalInt.empty(), OptionalLong.empty(), field, message);
    }

    public static Mismatch of(LoggedEvent e, String field, String message) {
        return at(e.epoch(), e.sequence(), field, message);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (epoch.isPresent()) {
            sb.append("epoch ").append(epoch.getAsInt()).append(", ");
        } else {
            sb.append("run, ");
        }
        sb.append(field);
        if (sequence.isPresent()) {
            sb.append(" (sequence ").append(sequence.getAsLong()).append(')');
        }
        return sb.append(": ").append(message).toString();
    }
}
