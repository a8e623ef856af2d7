package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects mismatches and counts checked values; shared by the verifier's parts. Not thread-safe. */
final class Checks {
    /** Recomputed doubles must equal the logged ones up to this relative error (both come from the same Java code). */
    static final double RELATIVE_TOLERANCE = 1e-12;

    private final List<Mismatch> mismatches = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int count;

    void add(Mismatch m) {
        mismatches.add(m);
    }

    void note(String note) {
        notes.add(note);
    }

    /** Counts one check; records the mismatch when it fails. */
    boolean check(boolean ok, Supplier<Mismatch> mismatch) {
        count++;
        if (!ok) {
            mismatches.add(mismatch.get());
        }
        return ok;
    }

    static boolean same(double logged, double recomputed) {
        if (Double.compare(logged, recomputed) == 0) {
            return true;
        }
        double scale = Math.max(1.0, Math.max(Math.abs(logged), Math.abs(recomputed)));
        return Math.abs(logged - recomputed) <= RELATIVE_TOLERANCE * scale;
    }

    static String loggedVsRecomputed(Object logged, Object recomputed) {
        return "logged " + logged + ", recomputed " + recomputed;
    }

    List<Mismatch> mismatches() {
        return mismatches;
    }

    List<String> notes() {
        return notes;
    }

    int count() {
        return count;
    }
}
