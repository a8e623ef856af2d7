package org.ocsp.modelops.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.engine.CpuFeatures;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.NetworkGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code model-ops bench conv-algorithms}: conv algorithm choices side by side in one JVM, on the
 * dense network and on its pruned version (the bench's FLOPs cut, L2 group saliency, after 10
 * warm-up steps), so that dense speed, pruned speed and the pruned speed-up of each choice are
 * measured under the same load. Windows alternate over all trainers, in reversed order every other
 * window; a pruned window runs as many more steps as the network has fewer FLOPs.
 */
@Command(name = "conv-algorithms", mixinStandardHelpOptions = true,
        description = "Conv algorithm choices side by side in one JVM, dense and pruned (alternating windows).")
public final class ConvAlgorithmsCommand implements Callable<Integer> {
    @Option(names = "--arch", description = "Architecture (default: ${DEFAULT-VALUE}).")
    String arch = "fashion-vgg";

    @Option(names = "--algorithms", split = ",", description = "Conv algorithms (ocsp.conv.algorithm values), the first "
            + "is the base of the ratios (default: ${DEFAULT-VALUE}).")
    List<String> algorithms = List.of("onednn", "auto");

    @Option(names = "--windows", description = "Timing windows (default: ${DEFAULT-VALUE}).")
    int windows = 7;

    @Option(names = "--steps", description = "Dense training steps per window (default: ${DEFAULT-VALUE}).")
    int steps = 5;

    @Option(names = "--prune", description = "FLOPs cut of the pruned network (default: ${DEFAULT-VALUE}).")
    double prune = 0.5;

    @Option(names = "--threads", description = "ND4J/OpenMP/BLAS threads (default: ${DEFAULT-VALUE}).")
    int threads = 2;

    private static final int BATCH = 128;
    private static final long SEED = 42;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        ThreadSettings.apply(threads);
        out.println("machine: " + MachineInfo.line());
        out.println("cpu:     " + CpuFeatures.describe());
        NetworkGraph graph = Architectures.byName(arch, 10);
        Map<String, BenchTrainer> trainers = new LinkedHashMap<>();
        L2Cut cut = null;
        ParameterStore warmed = null;
        try {
            for (String a : algorithms) {
                // The engine reads the algorithm when a network is built (unknown names fail there).
                System.setProperty(CpuFeatures.CONV_ALGORITHM_PROPERTY, a);
                BenchTrainer dense = BenchTrainer.initialised(graph, BATCH, SEED, BenchCommand.BENCH_LR);
                if (warmed == null) {
                    dense.run(10);
                    warmed = dense.params();
                }
                cut = L2Cut.of(graph, warmed, prune, 1); // the same selection each time, on parameters of its own
                trainers.put(a + " dense", dense);
                trainers.put(a + " pruned", BenchTrainer.of(cut.model().graph(), cut.model().params(), BATCH, SEED,
                        BenchCommand.BENCH_LR));
            }
        } finally {
            System.clearProperty(CpuFeatures.CONV_ALGORITHM_PROPERTY);
        }
        double flopsRatio = cut.flopsRatio();
        int prunedSteps = (int) Math.max(1, Math.round(steps * flopsRatio));
        out.printf(Locale.ROOT, "%s: FLOPs dense/pruned %.2fx; %d windows of %d dense steps (pruned: %d)%n", arch, flopsRatio,
                windows, steps, prunedSteps);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        trainers.forEach((name, t) -> {
            t.run(3);
            rates.put(name, new ArrayList<>());
        });
        List<String> names = new ArrayList<>(trainers.keySet());
        for (int w = 0; w < windows; w++) {
            List<String> order = new ArrayList<>(names);
            if (w % 2 == 1) {
                Collections.reverse(order);
            }
            StringBuilder line = new StringBuilder("window " + (w + 1) + ":");
            for (String name : order) {
                int n = name.endsWith("pruned") ? prunedSteps : steps;
                double r = n * BATCH / trainers.get(name).run(n);
                rates.get(name).add(r);
                line.append(String.format(Locale.ROOT, " %s %.1f;", name, r));
            }
            out.println(line);
        }
        out.println("| algorithm | dense img/s (min-max) | pruned img/s (min-max) | pruned speed-up |");
        out.println("|---|---:|---:|---:|");
        for (String a : algorithms) {
            WindowStats d = new WindowStats(rates.get(a + " dense"));
            WindowStats p = new WindowStats(rates.get(a + " pruned"));
            out.printf(Locale.ROOT, "| %s | %.1f (%.0f-%.0f) | %.1f (%.0f-%.0f) | %.2fx |%n", a, d.median(), d.min(), d.max(),
                    p.median(), p.min(), p.max(), p.median() / d.median());
        }
        String base = algorithms.get(0);
        for (String a : algorithms.subList(1, algorithms.size())) {
            WindowStats bd = new WindowStats(rates.get(base + " dense"));
            WindowStats bp = new WindowStats(rates.get(base + " pruned"));
            WindowStats d = new WindowStats(rates.get(a + " dense"));
            WindowStats p = new WindowStats(rates.get(a + " pruned"));
            out.printf(Locale.ROOT, "%s / %s: dense %.2fx (median of per-window ratios %.2fx), pruned %.2fx (%.2fx)%n", a, base,
                    d.median() / bd.median(), d.medianRatioTo(bd), p.median() / bp.median(), p.medianRatioTo(bp));
        }
        trainers.values().forEach(BenchTrainer::close);
        return 0;
    }
}
