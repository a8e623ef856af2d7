package org.ocsp.modelops.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.data.Augmentation;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.DatasetSplits;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.engine.CpuFeatures;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.train.EpochListener;
import org.ocsp.modelops.train.EpochReport;
import org.ocsp.modelops.train.PruningLoop;
import org.ocsp.modelops.train.StepResult;
import org.ocsp.modelops.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code model-ops train}: the complete one-cycle OCSPruner on Fashion-MNIST IDX files, offline. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train from scratch and prune once the sub-network is stable (OCSPruner), or train the dense "
                + "baseline with --no-prune.", modelTransformer = TrainCommand.RunOptions.class)
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", description = "Fashion-MNIST IDX directory (default: ${DEFAULT-VALUE}).")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Option(names = "--train-subset", description = "Use only the first N training images (default: the preset's, else all).")
    Integer trainSubset;

    @Option(names = "--test-subset", description = "Use only the first N test images (default: the preset's, else all).")
    Integer testSubset;

    @Option(names = "--augment", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Random crop (padding 2) and horizontal flip (default: ${DEFAULT-VALUE}).")
    boolean augment = true;

    @Option(names = "--no-prune", description = "Train the dense baseline only.")
    boolean noPrune;

    @Option(names = "--out", description = "Where to save the final model (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "model-ops", "model.ocsp");

    @Mixin
    PresetOption preset;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Show a progress bar per epoch (default: ${DEFAULT-VALUE}).")
    boolean progress = true;

    /** The run settings as options; the model's classes and input shape come from the data instead. */
    static final List<Setting<?>> RUN_SETTINGS = RunConfigDef.ALL.stream()
            .filter(s -> s != RunConfigDef.NUM_CLASSES && s != RunConfigDef.INPUT_SHAPE).toList();

    /** Adds the run settings' options to the command (picocli calls it once the annotations are read). */
    public static final class RunOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            return RunConfigOptions.declare(command, RUN_SETTINGS, Map.of());
        }
    }

    /** The validated run settings given on the command line (defaults for the rest). */
    RunConfig config() {
        RunConfigOptions options = RunConfigOptions.of(spec);
        return options.build(preset.applyTo(options.values(), options::given));
    }

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        RunConfig config = config();
        DatasetSplits data = FashionMnist.load(dataDir);
        if (preset.preset().isPresent()) {
            trainSubset = trainSubset != null ? trainSubset : preset.preset().get().trainSubset();
            testSubset = testSubset != null ? testSubset : preset.preset().get().testSubset();
        }
        if (trainSubset != null || testSubset != null) {
            data = data.first(trainSubset == null ? data.train().size() : trainSubset,
                    testSubset == null ? data.test().size() : testSubset);
        }
        config = RunConfigOptions.of(spec).build(config.toBuilder().set(RunConfigDef.NUM_CLASSES, data.numClasses())
                .set(RunConfigDef.INPUT_SHAPE, List.of(data.channels(), data.height(), data.width())));
        int epochs = config.get(RunConfigDef.EPOCHS);
        double target = config.get(RunConfigDef.TARGET);
        long seed = config.get(RunConfigDef.SEED);
        BatchSequence seq = BatchSequence.builder()
                .setData(data)
                .setNormalization(FashionMnist.NORMALIZATION)
                .setBatchSize(config.get(RunConfigDef.BATCH_SIZE))
                .setSeed(seed)
                .optAugmentation(augment ? Augmentation.randomCropAndFlip(2, 0.5) : Augmentation.none())
                .build();
        NetworkGraph graph = config.graph();
        TrainingSettings settings = config.trainingSettings(seq.batchCount(Split.TRAIN));
        StabilityConfig stability = config.stability();
        o.printf(Locale.ROOT, "model-ops train: %s on %s (%d train / %d test images), %d epochs x %d batches, target %.0f%% FLOPs "
                        + "reduction%s, seed %d%n", config.get(RunConfigDef.ARCH), dataDir, data.train().size(),
                data.test().size(), epochs, seq.batchCount(Split.TRAIN), target * 100,
                noPrune ? " (--no-prune: dense baseline)" : "", seed);
        o.println("model-ops train: " + CpuFeatures.describe());
        PruningLoop loop = new PruningLoop(graph, settings, stability, config.selection(), !noPrune);
        ConsoleListener listener = new ConsoleListener(o, progress);
        List<EpochReport> reports = loop.run(seq, epochs, listener);
        try (var session = loop.session()) {
            EpochReport first = reports.get(0);
            EpochReport last = reports.get(reports.size() - 1);
            long denseFlops = reports.stream().mapToLong(EpochReport::flops).max().orElse(first.flops());
            long denseParams = reports.stream().mapToLong(EpochReport::params).max().orElse(first.params());
            o.println();
            listener.startOfRegularization().ifPresentOrElse(e -> o.println("t_sl-start = epoch " + e),
                    () -> o.println("t_sl-start = (regularisation never started)"));
            reports.stream().filter(r -> r.pruning().isPresent()).findFirst().ifPresentOrElse(
                    r -> o.println("t* = epoch " + r.epoch() + " (" + r.decision().pruneReason().orElseThrow() + ")"),
                    () -> o.println("t* = (not reached)"));
            reports.stream().filter(r -> r.testAccuracyAfterPruning().isPresent()).findFirst().ifPresent(r -> o.printf(
                    Locale.ROOT, "removal at t* = epoch %d: test accuracy %.2f%% before the surgery, %.2f%% right after "
                            + "(drop %.2f points, before fine-tuning)%n", r.epoch(), r.testAccuracy() * 100,
                    r.testAccuracyAfterPruning().getAsDouble() * 100,
                    (r.testAccuracy() - r.testAccuracyAfterPruning().getAsDouble()) * 100));
            o.printf(Locale.ROOT, "final: test accuracy %.2f%%, train accuracy %.2f%%, FLOPs %.2f M (%.1f%% reduction), "
                            + "params %.3f M (%.1f%% reduction)%n", last.testAccuracy() * 100, last.trainAccuracy() * 100,
                    last.flops() / 1e6, 100.0 * (1 - (double) last.flops() / denseFlops), last.params() / 1e6,
                    100.0 * (1 - (double) last.params() / denseParams));
            String sha = session.save(out);
            o.println("model saved to " + out + " (sha256 " + sha + ")");
        }
        return 0;
    }

    /** Progress bar during an epoch, one line per epoch after it. */
    static final class ConsoleListener implements EpochListener {
        private final PrintStream out;
        private final boolean progress;
        private ProgressBar bar;
        private Integer regStart;

        ConsoleListener(PrintStream out, boolean progress) {
            this.out = out;
            this.progress = progress;
        }

        java.util.Optional<Integer> startOfRegularization() {
            return java.util.Optional.ofNullable(regStart);
        }

        @Override
        public void onDecision(EpochDecision d) {
            if (d.regularizationStartedNow()) {
                regStart = d.epoch();
            }
        }

        @Override
        public void onBatch(int epoch, Split split, int index, int count, StepResult r) {
            if (!progress) {
                return;
            }
            if (split == Split.TRAIN && index == 0) {
                bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(count)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
            }
            if (split == Split.TRAIN && bar != null) {
                bar.step();
                bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f", r.loss()));
                if (index == count - 1) {
                    bar.close();
                    bar = null;
                }
            }
        }

        @Override
        public void onEpoch(EpochReport r) {
            EpochDecision d = r.decision();
            String adaptive = d.removalWeightRatio().isEmpty() ? "" : String.format(Locale.ROOT,
                    " churn %s rho %s plan %s", fmt(d.churn()), fmt(d.removalWeightRatio()), fmt(d.plannedRatio()));
            out.printf(Locale.ROOT, "epoch %3d %-12s loss %.4f train %.2f%% test %.2f%% lr %.5f s_t %s J_avg %s lambda %s%s "
                            + "FLOPs %.2fM %5.0f img/s%s%s%n", r.epoch(), d.phase(), r.trainLoss(), r.trainAccuracy() * 100,
                    r.testAccuracy() * 100, r.learningRate(), fmt(d.similarity()), fmt(d.stability()), fmt(d.lambda()),
                    adaptive, r.flops() / 1e6, r.imagesPerSecond(), d.regularizationStartedNow() ? "  <- t_sl-start" : "",
                    r.pruning().map(p -> String.format(Locale.ROOT, "  <- t* (%s): pruned %.2fM -> %.2fM FLOPs",
                            d.pruneReason().orElseThrow(), p.flopsBefore() / 1e6, p.flopsAfter() / 1e6)).orElse(""));
        }

        private static String fmt(java.util.OptionalDouble v) {
            return v.isPresent() ? String.format(Locale.ROOT, "%.4f", v.getAsDouble()) : "-";
        }

    }
}
