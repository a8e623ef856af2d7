package org.ocsp.flink.audit;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link DecisionVerifier#verify}: every mismatch found, how many values were
 * checked, and notes on what could not be checked.
 *
 * <pre>{@code
 * VerificationResult r = new DecisionVerifier().verify(log);
 * if (!r.ok()) { r.mismatches().forEach(System.err::println); }
 * }</pre>
 */
public record VerificationResult(String runId, int eventsRead, int checks, List<Mismatch> mismatches, List<String> notes) {
    public VerificationResult {
        Objects.requireNonNull(runId, "runId");
        mismatches = List.copyOf(mismatches);
        notes = List.copyOf(notes);
    }

    public boolean ok() {
        return mismatches.isEmpty();
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
                .append(ok() ? " - the log verifies" : "").append('\n');
        for (Mismatch m : mismatches) {
            sb.append("  MISMATCH ").append(m).append('\n');
        }
        for (String n : notes) {
            sb.append("  note: ").append(n).append('\n');
        }
        return sb.toString();
    }
}
