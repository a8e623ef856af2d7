package org.ocsp.modelops.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.engine.ConvAlgorithm;
import org.ocsp.modelops.engine.EngineChoice;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.setting.Validator;
import org.ocsp.modelops.stability.JaccardAveraging;
import org.ocsp.modelops.stability.RegularizationStartMode;
import org.ocsp.modelops.stability.StabilityRules;
import org.ocsp.modelops.stability.StabilitySettings;
import org.ocsp.modelops.train.LearningRateSchedule;

/**
 * Every setting of a run, declared once: name (the command-line flag without {@code --}), type,
 * default, validator and documentation. {@code model-ops train}, {@code model-ops bench},
 * {@code ocsp run start} and {@code ocsp demo} generate their options from here, {@link RunConfig}
 * validates against it, and flink-job's {@code RunSpecs} maps it to and from the logged Avro spec.
 *
 * <pre>{@code
 * RunConfig c = RunConfig.builder().set(RunConfigDef.TARGET, 0.7).build();
 * RunConfigDef.ALL.forEach(s -> System.out.println("--" + s.name() + "  " + s.doc()));
 * }</pre>
 * The stability search's settings are {@link StabilitySettings}' declarations, listed here
 * rather than repeated, because {@code StabilityConfig} is also built directly by library users.
 */
public final class RunConfigDef {
    public static final Setting<String> ARCH = Setting.ofString("arch").optDefault("fashion-vgg")
            .optValidator(Validator.oneOfIgnoringCase(Architectures.names()))
            .setDoc("Architecture (model-ops name): " + String.join(", ", Architectures.names())).build();

    public static final Setting<Integer> NUM_CLASSES = Setting.ofInt("num-classes").optDefault(10)
            .optValidator(Validator.atLeast(2)).setDoc("Output classes").build();

    public static final Setting<List<Integer>> INPUT_SHAPE = Setting.ofIntList("input-shape").optDefault(List.of(1, 28, 28))
            .optValidator(shape -> shape.size() == 3 && shape.stream().allMatch(d -> d >= 1) ? Optional.empty()
                    : Optional.of("must be three sizes >= 1, C,H,W"))
            .setDoc("Shape of one example, C,H,W").build();

    public static final Setting<Double> TARGET = Setting.ofDouble("target").optDefault(0.5)
            .optValidator(Validator.between(0, 1)).setDoc("FLOPs reduction target in (0,1)").build();

    public static final Setting<Integer> EPOCHS = Setting.ofInt("epochs").optDefault(30)
            .optValidator(Validator.atLeast(1)).setDoc("Planned epochs").build();

    public static final Setting<Integer> BATCH_SIZE = Setting.ofInt("batch-size").optDefault(128)
            .optValidator(Validator.atLeast(1)).setDoc("Examples per training batch (the largest batch the model takes)")
            .build();

    public static final Setting<Double> LR = Setting.ofDouble("lr").optDefault(0.1)
            .optValidator(Validator.positiveFinite()).setDoc("Base learning rate").build();

    public static final Setting<ScheduleKind> SCHEDULE = Setting.ofEnum("schedule", ScheduleKind.class, Map.of())
            .optDefault(ScheduleKind.COSINE)
            .setDoc("Learning-rate schedule per iteration (MULTI_STEP: see lr-gamma and lr-milestones; STEP: lr-gamma "
                    + "and lr-step-epochs)").build();

    public static final Setting<Double> LR_FINAL = Setting.ofDouble("lr-final").optDefault(0.0)
            .optValidator(Validator.nonNegativeFinite()).setDoc("COSINE and LINEAR: learning rate at the end of the horizon")
            .build();

    public static final Setting<Integer> LR_HORIZON = Setting.ofInt("lr-horizon").optValidator(Validator.atLeast(1))
            .setDoc("COSINE and LINEAR: epochs over which the rate decays, then stays at lr-final (none: the epochs)")
            .build();

    public static final Setting<Boolean> LR_PER_ITERATION = Setting.ofBoolean("lr-per-iteration").optDefault(true)
            .setDoc("The rate follows the schedule at every optimiser step, as the reference does; with false it "
                    + "changes once per epoch").build();

    public static final Setting<Double> LR_GAMMA = Setting.ofDouble("lr-gamma").optDefault(LearningRateSchedule.CIFAR_GAMMA)
            .optValidator(Validator.aboveUpTo(0, 1))
            .setDoc("MULTI_STEP and STEP: factor applied to the learning rate at each milestone or step").build();

    public static final Setting<List<Integer>> LR_MILESTONES = Setting.ofIntList("lr-milestones")
            .optValidator(RunConfigDef::milestoneProblem)
            .setDoc("MULTI_STEP: epochs (0-based, ascending; one listed twice applies lr-gamma twice) at whose start the "
                    + "rate is multiplied by lr-gamma (none: 30/60/80/90% of the epochs, rounded)").build();

    public static final Setting<Integer> LR_STEP_EPOCHS = Setting.ofInt("lr-step-epochs").optValidator(Validator.atLeast(1))
            .setDoc("STEP: the rate is multiplied by lr-gamma at the start of every epoch that is a multiple of this "
                    + "(none: a third of the epochs, rounded, at least 1)").build();

    public static final Setting<Double> MOMENTUM = Setting.ofDouble("momentum").optDefault(0.9)
            .optValidator(Validator.fromUntil(0, 1)).setDoc("SGD momentum").build();

    public static final Setting<Boolean> NESTEROV = Setting.ofBoolean("nesterov").optDefault(true)
            .setDoc("Nesterov momentum").build();

    public static final Setting<Double> WEIGHT_DECAY = Setting.ofDouble("weight-decay").optDefault(5e-4)
            .optValidator(Validator.nonNegativeFinite()).setDoc("Weight decay (added to the gradient)").build();

    public static final Setting<Long> SEED = Setting.ofLong("seed").optDefault(42L)
            .setDoc("Seed of the run's randomness (initialisation; offline also shuffling and augmentation)").build();

    // The Avro symbols are accepted too: `ocsp run start` took them before the declaration was shared.
    public static final Setting<SaliencyKind> SALIENCY = Setting.ofEnum("saliency", SaliencyKind.class,
                    Map.of("L2_MAGNITUDE", SaliencyKind.L2, "TAYLOR_FIRST_ORDER", SaliencyKind.TAYLOR))
            .optDefault(SaliencyKind.L2).setDoc("Channel saliency").build();

    public static final Setting<Boolean> COST_AWARE = Setting.ofBoolean("cost-aware").optDefault(true)
            .setDoc("Scale channel scores by 1 - softmax over groups of the FLOPs one channel saves, as the reference does")
            .build();

    public static final Setting<Double> MAX_PRUNE_FRACTION = Setting.ofDouble("max-prune-fraction")
            .optDefault(PruningLimit.reference().maxFraction()).optValidator(Validator.fromUntil(0, 1))
            .setDoc("Lmax of the per-group limit: at most floor(C * Lmax * (1 - exp(-k * C))) of a group's C channels go")
            .build();

    public static final Setting<Double> PRUNE_LIMIT_RATE = Setting.ofDouble("prune-limit-rate")
            .optDefault(PruningLimit.reference().k()).optValidator(Validator.positiveFinite())
            .setDoc("k of the per-group limit").build();

    public static final Setting<Integer> CHANNEL_MULTIPLE = Setting.ofInt("channel-multiple").optDefault(1)
            .optValidator(Validator.atLeast(1))
            .setDoc("Every group keeps a multiple of this many channels (or all): CPU kernels pad channels to blocks of "
                    + "8 (AVX2) or 16 (AVX-512), so a width in whole blocks trains faster for its FLOPs").build();

    public static final Setting<Double> FLOPS_TOLERANCE = Setting.ofDouble("flops-tolerance")
            .optDefault(SubnetworkSelector.REFERENCE_TOLERANCE).optValidator(Validator.nonNegativeFinite())
            .setDoc("A sub-network whose FLOPs reduction misses the target by more than this is reported (a warning): "
                    + "the per-group limits or the channel blocks do not allow the target").build();

    public static final Setting<EngineChoice> ENGINE = Setting.ofEnum("engine", EngineChoice.class, Map.of())
            .optDefault(EngineChoice.AUTO)
            .setDoc("Engine of the layers (AUTO: oneDNN for float32 on a CPU where it loads, else ND4J); the engines "
                    + "agree to float32 rounding, not bit for bit").build();

    public static final Setting<ConvAlgorithm> CONV_ALGORITHM = Setting.ofEnum("conv-algorithm", ConvAlgorithm.class,
                    Map.of()).optDefault(ConvAlgorithm.AUTO)
            .setDoc("oneDNN's conv algorithm per pass (AUTO: Winograd where the shape gains from it, ONEDNN: oneDNN's "
                    + "pick, DIRECT: direct kernels as in PyTorch)").build();

    public static final Setting<Integer> MONITOR_START = StabilitySettings.MONITOR_START;
    public static final Setting<Integer> LAG = StabilitySettings.LAG;
    public static final Setting<Integer> WINDOW = StabilitySettings.WINDOW;
    public static final Setting<Double> TAU = StabilitySettings.TAU;
    public static final Setting<RegularizationStartMode> REG_START = StabilitySettings.REG_START;
    public static final Setting<Integer> SL_START = StabilitySettings.SL_START;
    public static final Setting<Double> PLATEAU_EPS = StabilitySettings.PLATEAU_EPS;
    public static final Setting<Double> LAMBDA_START = StabilitySettings.LAMBDA_START;
    public static final Setting<Double> LAMBDA_DELTA = StabilitySettings.LAMBDA_DELTA;
    public static final Setting<Integer> LAMBDA_INTERVAL = StabilitySettings.LAMBDA_INTERVAL;
    public static final Setting<Integer> HARD_CAP = StabilitySettings.HARD_CAP;
    public static final Setting<JaccardAveraging> JACCARD_AVERAGING = StabilitySettings.JACCARD_AVERAGING;
    public static final Setting<StabilityRules> STABILITY_RULES = StabilitySettings.STABILITY_RULES;
    public static final Setting<Double> ADAPTIVE_START_CHURN = StabilitySettings.ADAPTIVE_START_CHURN;
    public static final Setting<Double> ADAPTIVE_STOP_CHURN = StabilitySettings.ADAPTIVE_STOP_CHURN;
    public static final Setting<Double> ADAPTIVE_NEGLIGIBLE_RATIO = StabilitySettings.ADAPTIVE_NEGLIGIBLE_RATIO;
    public static final Setting<Double> ADAPTIVE_PATH_SHARE = StabilitySettings.ADAPTIVE_PATH_SHARE;
    public static final Setting<Double> ADAPTIVE_LAMBDA_START = StabilitySettings.ADAPTIVE_LAMBDA_START;
    public static final Setting<Double> ADAPTIVE_GAIN = StabilitySettings.ADAPTIVE_GAIN;
    public static final Setting<Double> ADAPTIVE_MAX_RISE = StabilitySettings.ADAPTIVE_MAX_RISE;

    /** Every setting, in the order of help texts and generated docs. */
    public static final List<Setting<?>> ALL = List.of(ARCH, NUM_CLASSES, INPUT_SHAPE, TARGET, EPOCHS, BATCH_SIZE, LR,
            SCHEDULE, LR_FINAL, LR_HORIZON, LR_PER_ITERATION, LR_GAMMA, LR_MILESTONES, LR_STEP_EPOCHS, MOMENTUM, NESTEROV,
            WEIGHT_DECAY, SEED, SALIENCY, COST_AWARE, MAX_PRUNE_FRACTION, PRUNE_LIMIT_RATE, CHANNEL_MULTIPLE,
            FLOPS_TOLERANCE, ENGINE, CONV_ALGORITHM, MONITOR_START, LAG, WINDOW, TAU, REG_START, SL_START, PLATEAU_EPS,
            LAMBDA_START, LAMBDA_DELTA, LAMBDA_INTERVAL, HARD_CAP, JACCARD_AVERAGING, STABILITY_RULES, ADAPTIVE_START_CHURN,
            ADAPTIVE_STOP_CHURN, ADAPTIVE_NEGLIGIBLE_RATIO, ADAPTIVE_PATH_SHARE, ADAPTIVE_LAMBDA_START, ADAPTIVE_GAIN,
            ADAPTIVE_MAX_RISE);

    private RunConfigDef() {
    }

    private static Optional<String> milestoneProblem(List<Integer> epochs) {
        for (int i = 0; i < epochs.size(); i++) {
            if (epochs.get(i) < 0 || i > 0 && epochs.get(i) < epochs.get(i - 1)) {
                return Optional.of("must be epochs >= 0 in ascending order");
            }
        }
        return Optional.empty();
    }

    /** A Markdown table of every setting (flag, default, doc), for the docs. */
    public static String markdown() {
        return Setting.markdownTable(ALL);
    }
}
