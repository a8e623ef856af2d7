package org.ocsp.flink.audit;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link DecisionVerifier#verify}: every mismatch found, how many values were
 * checked, what the log lacks to be complete, what its signatures show, and notes on what could
 * not be checked.
 *
 * <pre>{@code
 * VerificationResult r = new DecisionVerifier().verify(log);
 * if (!r.ok()) { r.mismatches().forEach(System.err::println); }
 * }</pre>
 */
public record VerificationResult(String runId, int eventsRead, int checks, List<Mismatch> mismatches,
                                 List<String> incomplete, String signatures, List<String> notes) {
    public VerificationResult {
        Objects.requireNonNull(runId, "runId");
        mismatches = List.copyOf(mismatches);
        incomplete = List.copyOf(incomplete);
        Objects.requireNonNull(signatures, "signatures"); // empty: not a question this result answers
        notes = List.copyOf(notes);
    }

    /** No mismatch and nothing missing. */
    public boolean ok() {
        return mismatches.isEmpty() && incomplete.isEmpty();
    }

    public boolean complete() {
        return incomplete.isEmpty();
    }

    /** Mismatches of one field (exact match of {@link Mismatch#field()}). */
    public List<Mismatch> mismatchesOf(String field) {
        return mismatches.stream().filter(m -> m.field().equals(field)).toList();
    }

    /** A human-readable summary, one mismatch per line. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Run '").append(runId).append("': ").append(eventsRead).append(" events read, ").append(checks)
                .append(" values checked, ").append(mismatches.size()).append(mismatches.size() == 1 ? " mismatch" : " mismatches")
                .append(ok() ? " - the log verifies" : mismatches.isEmpty() ? " - INCOMPLETE" : "").append('\n');
        for (Mismatch m : mismatches) {
            sb.append("  MISMATCH ").append(m).append('\n');
        }
        for (String m : incomplete) {
            sb.append("  INCOMPLETE ").append(m).append('\n');
        }
        if (!signatures.isEmpty()) {
            sb.append("  ").append(signatures).append('\n');
        }
        for (String n : notes) {
            sb.append("  note: ").append(n).append('\n');
        }
        return sb.toString();
    }
}
