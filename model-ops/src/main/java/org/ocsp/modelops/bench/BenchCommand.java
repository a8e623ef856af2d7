package org.ocsp.modelops.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.cli.RunConfigOptions;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.engine.CpuFeatures;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.surgery.ChannelSurgery;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code model-ops bench}: training speed of model-ops against the PyTorch reference script, side by
 * side in one invocation (windows alternate, never overlap), plus a per-layer profile, dense vs
 * pruned speed and a loss-by-loss cross-check. See {@code bench/RESULTS.md}.
 *
 * <pre>
 * java -cp model-ops/target/classes:$(cat model-ops/target/classpath.txt) \
 *     org.ocsp.modelops.cli.ModelOpsCli bench --arch fashion-vgg,resnet56
 * </pre>
 * FLOPs convention: {@link CostModel} counts multiply-accumulates per image (ptflops); a training
 * step is taken as 3x the forward pass and a MAC as 2 FLOPs, so GFLOP/s = 6 * MACs * images/s / 1e9,
 * the same unit as the SGEMM peak (2 n^3 FLOPs per n x n x n product).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Training speed of model-ops vs the PyTorch reference, side by side (medians over windows).",
        modelTransformer = BenchCommand.RunOptions.class,
        subcommands = {ConvAlgorithmsCommand.class, EnginesCommand.class, ExportCheckCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--arch", split = ",", description = "Architectures (default: ${DEFAULT-VALUE}).")
    List<String> archs = List.of("fashion-vgg", "resnet56");

    @Option(names = "--threads", description = "Threads for both frameworks: ND4J/OpenMP/BLAS and torch.set_num_threads "
            + "(default: ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--windows", description = "Timing windows per framework (default: ${DEFAULT-VALUE}).")
    int windows = 7;

    @Option(names = "--window-images", description = "Images per window for the small VGG; ResNet-56 uses a sixth "
            + "(rounded to whole batches, at least one) (default: ${DEFAULT-VALUE}).")
    int windowImages = 1280;

    @Option(names = "--warmup-steps", description = "Warm-up steps per framework (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--python", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    Path python = Path.of("/usr/bin/python3");

    @Option(names = "--script", description = "PyTorch reference script (default: ${DEFAULT-VALUE}).")
    Path script = Path.of("bench/pytorch_reference.py");

    @Option(names = "--pytorch", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the PyTorch side (default: ${DEFAULT-VALUE}).")
    boolean withPytorch = true;

    @Option(names = "--check-steps", description = "Cross-check steps, 0 to skip (default: ${DEFAULT-VALUE}).")
    int checkSteps = 20;

    @Option(names = "--float64-reference", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the cross-check's steps in PyTorch float64 and print both float32 trajectories' "
                    + "distance from it: PyTorch's own rounding noise next to model-ops'. Costs minutes for ResNet-56 "
                    + "(no oneDNN in float64) (default: ${DEFAULT-VALUE}).")
    boolean float64Reference = true;

    @Option(names = "--prune", description = "FLOPs cut for the dense vs pruned comparison, 0 to skip (default: ${DEFAULT-VALUE}).")
    double prune = 0.5;

    @Option(names = "--channel-multiple", description = "Keep every pruned group's width a multiple of this many channels "
            + "(16 matches oneDNN's AVX-512 channel block; 1: any width, as OCSPruner) (default: ${DEFAULT-VALUE}).")
    int channelMultiple = 1;

    @Option(names = "--profile-steps", description = "Steps in the per-layer profile, 0 to skip (default: ${DEFAULT-VALUE}).")
    int profileSteps = 5;

    @Option(names = "--work-dir", description = "Where the cross-check writes tensors (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("model-ops/target/bench");

    @Spec
    CommandSpec spec;

    /** Shared with the run settings: same names, types, docs and checks as {@code model-ops train}. */
    static final List<Setting<?>> RUN_SETTINGS = List.of(RunConfigDef.BATCH_SIZE, RunConfigDef.SEED, RunConfigDef.LR);

    /**
     * The bench's own default for the constant rate of the timed and cross-checked steps: the
     * results in bench/RESULTS.md were measured with it, so it stays when the schedule's base is 0.1.
     */
    static final double BENCH_LR = 0.05;

    /** Adds the shared run settings' options (picocli calls it once the annotations are read). */
    public static final class RunOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            return RunConfigOptions.declare(command, RUN_SETTINGS, Map.of(RunConfigDef.LR, BENCH_LR));
        }
    }

    private int batch;
    private long seed;
    private double lr;

    private final PrintStream out = System.out;

    record Row(String arch, String framework, WindowStats stats, double gflopPerImage) {
    }

    @Override
    public Integer call() throws Exception {
        if (channelMultiple < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value " + channelMultiple + " for option '--channel-multiple': must be >= 1");
        }
        RunConfigOptions options = RunConfigOptions.of(spec);
        RunConfig config = options.build(options.values());
        batch = config.get(RunConfigDef.BATCH_SIZE);
        seed = config.get(RunConfigDef.SEED);
        lr = config.get(RunConfigDef.LR);
        ThreadSettings.apply(threads);
        out.println("# model-ops bench");
        out.println("machine: " + MachineInfo.line());
        out.println("nd4j:    " + ThreadSettings.describe());
        out.println("cpu:     " + CpuFeatures.describe());
        out.printf(Locale.ROOT, "batch %d, threads %d, %d windows, warm-up %d steps, lr %.3g, SGD Nesterov 0.9 wd 5e-4%n",
                batch, threads, windows, warmup, lr);
        double peak = Math.max(SgemmPeak.gflops(1024, 5), SgemmPeak.gflops(2048, 3));
        out.printf(Locale.ROOT, "SGEMM peak (ND4J gemm, best of 1024^3 x5 and 2048^3 x3): %.1f GFLOP/s%n", peak);
        PythonReference py = new PythonReference(python, script, threads);
        List<Row> rows = new ArrayList<>();
        List<PrunedRow> pruned = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (String arch : archs) {
            NetworkGraph graph = Architectures.byName(arch, 10);
            double gflopPerImage = 6.0 * CostModel.of(graph).flops() / 1e9;
            int steps = stepsPerWindow(arch);
            out.printf(Locale.ROOT, "%n## %s: %.1f MMAC forward per image, %.3f GFLOP per training image, %d steps per window%n",
                    arch, CostModel.of(graph).flops() / 1e6, gflopPerImage, steps);
            try (BenchTrainer ours = BenchTrainer.initialised(graph, batch, seed, lr)) {
                ours.run(warmup);
                if (profileSteps > 0) {
                    Profile.print(arch, ours, profileSteps, out);
                }
                rows.addAll(timeSideBySide(arch, ours, py, steps, gflopPerImage));
                if (prune > 0) {
                    pruned.add(densePruned(arch, graph, ours, py, steps));
                }
            }
            if (checkSteps > 0 && withPytorch) {
                CrossCheck.Result r = CrossCheck.run(graph, arch, batch, checkSteps, lr, seed, py,
                        workDir.resolve(arch), float64Reference, out);
                if (!r.ok()) {
                    mismatches.add(arch);
                }
            }
        }
        out.println();
        out.println("## Summary (images/s over " + windows + " alternating windows; GFLOP/s at the median)");
        out.printf(Locale.ROOT, "| %-12s | %-9s | %8s | %8s | %8s | %7s | %8s | %6s |%n", "arch", "framework", "median",
                "min", "max", "ratio", "GFLOP/s", "%peak");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            Row torch = rows.stream().filter(x -> x.arch().equals(r.arch()) && x.framework().equals("pytorch")).findFirst()
                    .orElse(null);
            String ratio = torch == null ? "" : String.format(Locale.ROOT, "%.2fx", r.stats().median() / torch.stats().median());
            double gf = r.stats().median() * r.gflopPerImage();
            out.printf(Locale.ROOT, "| %-12s | %-9s | %8.1f | %8.1f | %8.1f | %7s | %8.1f | %5.1f%% |%n", r.arch(), r.framework(),
                    r.stats().median(), r.stats().min(), r.stats().max(), r.framework().equals("model-ops") ? ratio : "",
                    gf, 100 * gf / peak);
        }
        if (!pruned.isEmpty()) {
            out.println();
            out.printf(Locale.ROOT, "## Dense vs pruned (%.0f%% FLOPs cut, L2 group saliency; PyTorch trains the same "
                    + "pruned shapes)%n", 100 * prune);
            out.println("| arch | FLOPs ratio dense/pruned | model-ops dense img/s | pruned img/s | speed-up "
                    + "| PyTorch dense img/s | pruned img/s | speed-up |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            pruned.forEach(r -> out.println(r.line()));
        }
        if (!mismatches.isEmpty()) {
            out.println("MISMATCH in the cross-check of " + mismatches + ": see above");
            return 2;
        }
        return 0;
    }

    private int stepsPerWindow(String arch) {
        int images = arch.startsWith("resnet") ? windowImages / 6 : windowImages;
        return Math.max(1, Math.round((float) images / batch));
    }

    private List<Row> timeSideBySide(String arch, BenchTrainer ours, PythonReference py, int steps, double gflopPerImage)
            throws IOException {
        List<Double> mine = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        PythonReference.Server server = withPytorch ? py.serve(arch, batch, lr) : null;
        try {
            if (server != null) {
                out.println("pytorch: " + server.hello());
                server.window("warmup", warmup);
            }
            for (int w = 0; w < windows; w++) {
                // Alternate who goes first so a load change hits both sides alike.
                if (server != null && w % 2 == 1) {
                    theirs.add(server.window("window", steps));
                }
                mine.add(steps * batch / ours.run(steps));
                if (server != null && w % 2 == 0) {
                    theirs.add(server.window("window", steps));
                }
                out.printf(Locale.ROOT, "window %d: model-ops %.1f img/s%s%n", w + 1, mine.get(w),
                        server == null ? "" : String.format(Locale.ROOT, ", pytorch %.1f img/s", theirs.get(w)));
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(arch, "model-ops", new WindowStats(mine), gflopPerImage));
        if (!theirs.isEmpty()) {
            rows.add(new Row(arch, "pytorch", new WindowStats(theirs), gflopPerImage));
        }
        return rows;
    }

    /**
     * Median images/s of the dense and the pruned network in model-ops and, when PyTorch runs, in
     * PyTorch on the same pruned shapes (alternating windows), and the FLOPs ratio.
     */
    private PrunedRow densePruned(String arch, NetworkGraph graph, BenchTrainer dense, PythonReference py, int steps)
            throws IOException {
        L2Cut cut = L2Cut.of(graph, dense.params(), prune, channelMultiple);
        Selection s = cut.selection();
        ChannelSurgery.PrunedModel p = cut.model();
        double flopsRatio = cut.flopsRatio();
        out.printf(Locale.ROOT, "pruned: %.1f%% FLOPs cut (%.1f -> %.1f MMAC), %d channels removed, widths in multiples of %d%n",
                100 * s.reduction(), s.denseFlops() / 1e6, s.flops() / 1e6, s.prunedChannels(), channelMultiple);
        out.println("pruned conv widths: " + convWidths(p.graph()));
        Path weights = workDir.resolve(arch + "-pruned").resolve("weights");
        TensorDir.Writer w = TensorDir.writer(weights);
        TensorDir.exportParameters(p.params(), w);
        w.finish();
        Series ours = new Series();
        Series theirs = new Series();
        try (BenchTrainer small = BenchTrainer.of(p.graph(), p.params(), batch, seed, lr);
             PythonReference.Server torchDense = withPytorch ? py.serve(arch, batch, lr) : null;
             PythonReference.Server torchPruned = withPytorch ? py.serve(arch, batch, lr, weights) : null) {
            small.run(warmup);
            if (profileSteps > 0) {
                Profile.print(arch + " pruned", small, profileSteps, out);
            }
            if (withPytorch) {
                torchDense.window("warmup", warmup);
                torchPruned.window("warmup", warmup);
            }
            int prunedSteps = (int) Math.max(1, Math.round(steps * flopsRatio));
            for (int i = 0; i < windows; i++) {
                ours.dense.add(steps * batch / dense.run(steps));
                ours.pruned.add(prunedSteps * batch / small.run(prunedSteps));
                String line = String.format(Locale.ROOT, "window %d: model-ops dense %.1f img/s, pruned %.1f img/s", i + 1,
                        ours.dense.get(i), ours.pruned.get(i));
                if (withPytorch) {
                    theirs.dense.add(torchDense.window("window", steps));
                    theirs.pruned.add(torchPruned.window("window", prunedSteps));
                    line += String.format(Locale.ROOT, "; pytorch dense %.1f img/s, pruned %.1f img/s", theirs.dense.get(i),
                            theirs.pruned.get(i));
                }
                out.println(line);
            }
        }
        return new PrunedRow(arch, flopsRatio, ours, withPytorch ? theirs : null);
    }

    /** {@code in->out} of every conv, in graph order. */
    private static String convWidths(NetworkGraph g) {
        StringBuilder b = new StringBuilder();
        for (org.ocsp.modelops.graph.Node n : g.nodes()) {
            if (n.spec() instanceof org.ocsp.modelops.graph.LayerSpec.Conv2d c) {
                b.append(b.length() == 0 ? "" : " ").append(c.inChannels()).append("->").append(c.outChannels());
            }
        }
        return b.toString();
    }

    /** Images/s per window of a dense network and its pruned version. */
    static final class Series {
        final List<Double> dense = new ArrayList<>();
        final List<Double> pruned = new ArrayList<>();

        double speedUp() {
            return new WindowStats(pruned).median() / new WindowStats(dense).median();
        }

        String cells() {
            return String.format(Locale.ROOT, "%.1f | %.1f | %.2fx", new WindowStats(dense).median(),
                    new WindowStats(pruned).median(), speedUp());
        }
    }

    record PrunedRow(String arch, double flopsRatio, Series ours, Series pytorch) {
        String line() {
            return String.format(Locale.ROOT, "| %s | %.2fx | %s | %s |", arch, flopsRatio, ours.cells(),
                    pytorch == null ? " | | " : pytorch.cells());
        }
    }
}
