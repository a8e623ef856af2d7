package org.ocsp.modelops.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ocsp.modelops.arch.TorchNames;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * model-ops against PyTorch on the same numbers: model-ops exports its initial weights and the
 * synthetic batches (see {@link TensorDir}), both train on the same batches, and the per-step losses
 * are compared, every tensor after the first step, and the BN running statistics after the last.
 *
 * <pre>{@code
 * CrossCheck.Result r = CrossCheck.run(graph, "fashion-vgg", 128, 20, 0.05, python, workDir, System.out);
 * if (!r.ok()) ...   // a MISMATCH line has been printed
 * }</pre>
 */
final class CrossCheck {
    static final double LOSS_TOLERANCE = 1e-3;
    /**
     * BN running statistics after the first step: they are the batch moments folded in with
     * momentum 0.1 and the unbiased variance, so they test the semantics and must agree closely.
     */
    static final double RUNNING_STATS_TOLERANCE = 1e-4;
    /**
     * Where PyTorch's own float32 trajectory strays from its float64 one by more than
     * {@link #LOSS_TOLERANCE} (ResNet-56: up to 0.2 over 20 steps), no float32 implementation can
     * meet that bar; the gate is then model-ops float32's distance from PyTorch float64, at most
     * this many times PyTorch float32's (largest relative loss difference over the steps).
     */
    static final double TRAJECTORY_FACTOR = 3;
    /** Every tensor after the first step: reported, with a warning above this. */
    static final double STEP1_WARNING = 1e-3;

    record TensorDiff(String name, double relDiff) {
    }

    /**
     * Losses per step, and max |diff| / max |torch| per tensor: the worst of all tensors after the
     * first step, of the running statistics after the first and after the last step.
     */
    record Result(List<Double> modelOps, List<Double> pytorch, List<Double> pytorch64, double maxLossRelDiff, TensorDiff step1,
                  TensorDiff step1RunningStats, TensorDiff finalRunningStats) {
        boolean ok() {
            return modelOps.size() == pytorch.size() && (byTrajectory() ? trajectoryRatio() <= TRAJECTORY_FACTOR
                    : maxLossRelDiff < LOSS_TOLERANCE) && step1RunningStats.relDiff() < RUNNING_STATS_TOLERANCE;
        }

        /** True where PyTorch float32 itself is farther than the loss tolerance from PyTorch float64. */
        boolean byTrajectory() {
            return !pytorch64.isEmpty() && maxRelDiff(pytorch, pytorch64) >= LOSS_TOLERANCE;
        }

        /** model-ops float32's largest distance from PyTorch float64 over PyTorch float32's. */
        double trajectoryRatio() {
            return maxRelDiff(modelOps, pytorch64) / Math.max(maxRelDiff(pytorch, pytorch64), 1e-12);
        }
    }

    private CrossCheck() {
    }

    /**
     * With {@code float64Reference}, PyTorch also trains the same steps in float64, and both float32
     * trajectories are measured against it: how far PyTorch's own float32 rounding carries it is the
     * yardstick for model-ops' distance (the gate stays the 1e-3 against PyTorch float32).
     */
    static Result run(NetworkGraph graph, String arch, int batch, int steps, double lr, long seed, PythonReference python,
                      Path dir, boolean float64Reference, PrintStream log) throws IOException, InterruptedException {
        List<Double> ours = new ArrayList<>();
        try (BenchTrainer t = BenchTrainer.initialised(graph, batch, seed, lr)) {
            TensorDir.Writer w = TensorDir.writer(dir.resolve("weights"));
            TensorDir.exportParameters(t.params(), w);
            w.finish();
            TensorDir.Writer b = TensorDir.writer(dir.resolve("batches"));
            long[] xShape = t.network().input(batch).shape();
            float[][] xs = new float[steps][];
            int[][] ys = new int[steps][];
            for (int i = 0; i < steps; i++) {
                xs[i] = BenchTrainer.gaussian(graph, batch, seed * 7919 + i);
                ys[i] = BenchTrainer.labels(batch, BenchTrainer.classes(graph), seed * 7919 + 5000 + i);
                b.floats("x." + i, xShape, xs[i]);
                b.ints("y." + i, new long[] {batch}, ys[i]);
            }
            b.finish();
            Map<String, float[]> oursAfterStep1 = null;
            for (int i = 0; i < steps; i++) {
                ours.add(t.step(xs[i], ys[i]));
                if (i == 0) {
                    oursAfterStep1 = snapshot(t);
                    write(oursAfterStep1, t, dir.resolve("model-ops/step1"));
                }
            }
            List<Double> theirs = python.check(arch, lr, dir, dir.resolve("pytorch"));
            List<Double> theirs64 = float64Reference ? python.check(arch, lr, dir, dir.resolve("pytorch64"), true) : List.of();
            Map<String, float[]> theirsStep1 = TensorDir.readFloats(dir.resolve("pytorch/step1"));
            TensorDiff step1 = worst(oursAfterStep1, theirsStep1, false);
            TensorDiff step1Stats = worst(oursAfterStep1, theirsStep1, true);
            TensorDiff stats = worst(snapshot(t), TensorDir.readFloats(dir.resolve("pytorch/final")), true);
            Result r = new Result(ours, theirs, theirs64, maxRelDiff(ours, theirs), step1, step1Stats, stats);
            print(arch, r, log);
            return r;
        }
    }

    /** Largest |a - b| / |b| over the steps both have. */
    static double maxRelDiff(List<Double> a, List<Double> b) {
        double max = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            max = Math.max(max, relDiff(a.get(i), b.get(i)));
        }
        return max;
    }

    private static double relDiff(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-12, Math.abs(b));
    }

    private static Map<String, float[]> snapshot(BenchTrainer t) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (TensorRef ref : t.params().refs()) {
            out.put(TorchNames.stateDictKey(ref), t.params().tensor(ref.layer(), ref.kind()).dup().data().asFloat());
        }
        return out;
    }

    private static void write(Map<String, float[]> tensors, BenchTrainer t, Path where) throws IOException {
        TensorDir.Writer w = TensorDir.writer(where);
        for (TensorRef ref : t.params().refs()) {
            w.floats(TorchNames.stateDictKey(ref), t.params().shapes().get(ref), tensors.get(TorchNames.stateDictKey(ref)));
        }
        w.finish();
    }

    private static TensorDiff worst(Map<String, float[]> ours, Map<String, float[]> theirs, boolean runningStatsOnly)
            throws IOException {
        TensorDiff worst = new TensorDiff("-", 0);
        for (Map.Entry<String, float[]> e : ours.entrySet()) {
            boolean stat = e.getKey().endsWith(".running_mean") || e.getKey().endsWith(".running_var");
            if (runningStatsOnly && !stat) {
                continue;
            }
            float[] p = theirs.get(e.getKey());
            if (p == null || p.length != e.getValue().length) {
                throw new IOException("PyTorch's tensors lack " + e.getKey() + " or differ in size");
            }
            double d = relDiff(e.getValue(), p);
            if (d > worst.relDiff()) {
                worst = new TensorDiff(e.getKey(), d);
            }
        }
        return worst;
    }

    /** max |a - b| / max |b| over a tensor. */
    private static double relDiff(float[] a, float[] b) {
        double num = 0;
        double den = 1e-12;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        return num / den;
    }

    private static void print(String arch, Result r, PrintStream log) {
        log.printf(Locale.ROOT, "%nCross-check %s: %d steps, same initial weights and batches%n", arch, r.modelOps().size());
        boolean f64 = !r.pytorch64().isEmpty();
        log.printf(Locale.ROOT, "%5s %14s %14s %12s%s%n", "step", "model-ops", "pytorch", "rel.diff",
                f64 ? String.format(Locale.ROOT, " %14s %14s", "torch32-vs-64", "ours-vs-64") : "");
        for (int i = 0; i < r.modelOps().size(); i++) {
            double a = r.modelOps().get(i);
            double b = i < r.pytorch().size() ? r.pytorch().get(i) : Double.NaN;
            String noise = "";
            if (f64 && i < r.pytorch64().size()) {
                double c = r.pytorch64().get(i);
                noise = String.format(Locale.ROOT, " %14.3e %14.3e", relDiff(b, c), relDiff(a, c));
            }
            log.printf(Locale.ROOT, "%5d %14.8f %14.8f %12.3e%s%n", i + 1, a, b, Math.abs(a - b) / Math.abs(b), noise);
        }
        log.printf(Locale.ROOT, "max loss rel.diff %.3e (tolerance %.0e%s)%n", r.maxLossRelDiff(), LOSS_TOLERANCE,
                r.byTrajectory() ? ", not gated: PyTorch float32 alone strays further from float64" : "");
        if (f64) {
            log.printf(Locale.ROOT, "float32 rounding noise (against PyTorch float64): PyTorch float32 max %.3e, model-ops max %.3e"
                    + " = %.2fx PyTorch's%s%n", maxRelDiff(r.pytorch(), r.pytorch64()), maxRelDiff(r.modelOps(), r.pytorch64()),
                    r.trajectoryRatio(), r.byTrajectory() ? String.format(Locale.ROOT, " (gate: at most %.0fx)", TRAJECTORY_FACTOR) : "");
        }
        log.printf(Locale.ROOT, "BN running statistics after step 1: worst %s max|diff|/max|torch| %.3e (tolerance %.0e)%n",
                r.step1RunningStats().name(), r.step1RunningStats().relDiff(), RUNNING_STATS_TOLERANCE);
        log.printf(Locale.ROOT, "every tensor after step 1: worst %s %.3e%s%n", r.step1().name(), r.step1().relDiff(),
                r.step1().relDiff() < STEP1_WARNING ? "" : "  WARNING: above " + STEP1_WARNING + " (see bench/RESULTS.md)");
        log.printf(Locale.ROOT, "BN running statistics after step %d: worst %s %.3e (drift of the trajectories, not gated)%n",
                r.modelOps().size(), r.finalRunningStats().name(), r.finalRunningStats().relDiff());
        if (r.ok()) {
            log.println("Cross-check " + arch + ": OK");
        } else {
            log.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            log.println("!!! MISMATCH " + arch + ": model-ops and PyTorch disagree (losses or BN running statistics above tolerance)");
            log.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        }
    }
}
