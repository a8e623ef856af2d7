package org.ocsp.modelops.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * model-ops against PyTorch on the same numbers: model-ops exports its initial weights and the
 * synthetic batches (see {@link TensorDir}), both train on the same batches, and the per-step losses
 * and the final tensors (weights, BN running statistics) are compared.
 *
 * <pre>{@code
 * CrossCheck.Result r = CrossCheck.run(graph, "fashion-vgg", 128, 20, 0.05, python, workDir, System.out);
 * if (!r.ok()) ...   // a MISMATCH line has been printed
 * }</pre>
 */
final class CrossCheck {
    static final double LOSS_TOLERANCE = 1e-3;
    static final double TENSOR_TOLERANCE = 1e-3;

    record Result(List<Double> modelOps, List<Double> pytorch, double maxLossRelDiff, String worstTensor,
                  double worstTensorRelDiff) {
        boolean ok() {
            return modelOps.size() == pytorch.size() && maxLossRelDiff < LOSS_TOLERANCE && worstTensorRelDiff < TENSOR_TOLERANCE;
        }
    }

    private CrossCheck() {
    }

    static Result run(NetworkGraph graph, String arch, int batch, int steps, double lr, long seed, PythonReference python,
                      Path dir, PrintStream log) throws IOException, InterruptedException {
        List<Double> ours = new ArrayList<>();
        Map<String, float[]> theirsFinal;
        List<Double> theirs;
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
            for (int i = 0; i < steps; i++) {
                ours.add(t.step(xs[i], ys[i]));
            }
            theirs = python.check(arch, lr, dir, dir.resolve("pytorch-final"));
            theirsFinal = TensorDir.readFloats(dir.resolve("pytorch-final"));
            String worst = "";
            double worstDiff = 0;
            for (TensorRef ref : t.params().refs()) {
                float[] p = theirsFinal.get(TensorDir.torchName(ref));
                INDArray mine = t.params().tensor(ref.layer(), ref.kind());
                float[] m = mine.dup().data().asFloat();
                if (p == null || p.length != m.length) {
                    throw new IOException("PyTorch's final tensors lack " + TensorDir.torchName(ref) + " or differ in size");
                }
                double d = relDiff(m, p);
                if (d > worstDiff) {
                    worstDiff = d;
                    worst = TensorDir.torchName(ref) + (ref.kind() == TensorKind.RUNNING_VAR || ref.kind() == TensorKind.RUNNING_MEAN
                            ? " (BN running statistic)" : "");
                }
            }
            double maxLoss = 0;
            for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
                maxLoss = Math.max(maxLoss, Math.abs(ours.get(i) - theirs.get(i)) / Math.max(1e-12, Math.abs(theirs.get(i))));
            }
            Result r = new Result(ours, theirs, maxLoss, worst, worstDiff);
            print(arch, r, log);
            return r;
        }
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
        log.printf(Locale.ROOT, "%5s %14s %14s %12s%n", "step", "model-ops", "pytorch", "rel.diff");
        for (int i = 0; i < r.modelOps().size(); i++) {
            double a = r.modelOps().get(i);
            double b = i < r.pytorch().size() ? r.pytorch().get(i) : Double.NaN;
            log.printf(Locale.ROOT, "%5d %14.8f %14.8f %12.3e%n", i + 1, a, b, Math.abs(a - b) / Math.abs(b));
        }
        log.printf(Locale.ROOT, "max loss rel.diff %.3e (tolerance %.0e); final tensors: worst %s max|diff|/max|torch| %.3e%n",
                r.maxLossRelDiff(), LOSS_TOLERANCE, r.worstTensor(), r.worstTensorRelDiff());
        if (r.ok()) {
            log.println("Cross-check " + arch + ": OK");
        } else {
            log.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            log.println("!!! MISMATCH " + arch + ": model-ops and PyTorch disagree (losses or final tensors above tolerance)");
            log.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        }
    }
}
