package org.ocsp.modelops.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ocsp.modelops.engine.LayerTimings;

/** Per-layer time of a training step (forward and backward), by layer and summed by layer type. */
final class Profile {
    private Profile() {
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }

    static void print(String arch, BenchTrainer t, int steps, PrintStream out) {
        t.timing(true);
        t.run(1);
        LayerTimings timings = t.timing(true);
        long bytes0 = allocatedBytes();
        long t0 = System.nanoTime();
        t.run(steps);
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        double bytesPerStep = (allocatedBytes() - bytes0) / (double) steps;
        List<LayerTimings.Row> rows = timings.rows();
        double loss = t.lossMsPerStep();
        double opt = t.optimizerMsPerStep();
        t.timing(false);
        out.printf(Locale.ROOT, "%nProfile %s, batch %d, mean of %d steps: %.1f ms per step (timed)%n", arch, t.batch(), steps, stepMs);
        out.printf(Locale.ROOT, "| %-22s | %-10s | %9s | %9s |%n", "layer", "type", "fwd ms", "bwd ms");
        out.println("|---|---|---:|---:|");
        Map<String, double[]> byType = new LinkedHashMap<>();
        double fwd = 0;
        double bwd = 0;
        for (LayerTimings.Row r : rows) {
            out.printf(Locale.ROOT, "| %-22s | %-10s | %9.2f | %9.2f |%n", r.id().value(), r.type(), r.forwardMs(), r.backwardMs());
            double[] s = byType.computeIfAbsent(r.type(), k -> new double[2]);
            s[0] += r.forwardMs();
            s[1] += r.backwardMs();
            fwd += r.forwardMs();
            bwd += r.backwardMs();
        }
        out.printf(Locale.ROOT, "%nBy type (%s): ms per step and share of the step%n", arch);
        out.printf(Locale.ROOT, "| %-12s | %9s | %9s | %7s |%n", "type", "fwd ms", "bwd ms", "share");
        out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, double[]> e : byType.entrySet()) {
            double[] s = e.getValue();
            out.printf(Locale.ROOT, "| %-12s | %9.2f | %9.2f | %6.1f%% |%n", e.getKey(), s[0], s[1], 100 * (s[0] + s[1]) / stepMs);
        }
        out.printf(Locale.ROOT, "| %-12s | %9.2f | %9s | %6.1f%% |%n", "loss (host)", loss, "", 100 * loss / stepMs);
        out.printf(Locale.ROOT, "| %-12s | %9s | %9.2f | %6.1f%% |%n", "sgd update", "", opt, 100 * opt / stepMs);
        double other = stepMs - fwd - bwd - loss - opt;
        out.printf(Locale.ROOT, "| %-12s | %9.2f | %9.2f | %6.1f%% |%n", "total layers", fwd, bwd, 100 * (fwd + bwd) / stepMs);
        out.printf(Locale.ROOT, "| %-12s | %9.2f | %9s | %6.1f%% |%n", "other (copy)", other, "", 100 * other / stepMs);
        out.printf(Locale.ROOT, "Java heap allocated per step (timing on): %.1f KB (op objects and ND4J bookkeeping; every array is preallocated)%n",
                bytesPerStep / 1024);
    }
}
