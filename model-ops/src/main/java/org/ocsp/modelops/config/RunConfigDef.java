package org.ocsp.modelops.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.modelops.stability.RegularizationStartMode;
import org.ocsp.modelops.stability.StabilityConfig;

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
 * The stability defaults are {@link StabilityConfig}'s, referenced rather than repeated, because
 * that class is also built directly by library users.
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
            .setDoc("Learning-rate schedule per iteration (MULTI_STEP: x0.2 from the epochs at 30/60/80/90% of the run, rounded)").build();

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

    public static final Setting<Integer> MONITOR_START = Setting.ofInt("monitor-start")
            .optDefault(StabilityConfig.DEFAULT_MONITOR_START).optValidator(Validator.atLeast(0))
            .setDoc("First epoch a sub-network is computed").build();

    public static final Setting<Integer> LAG = Setting.ofInt("lag").optDefault(StabilityConfig.DEFAULT_LAG)
            .optValidator(Validator.atLeast(1)).setDoc("s_t compares the sub-network with the one this many epochs earlier")
            .build();

    public static final Setting<Integer> WINDOW = Setting.ofInt("window").optDefault(StabilityConfig.DEFAULT_WINDOW)
            .optValidator(Validator.atLeast(1)).setDoc("Similarity values averaged into J_avg").build();

    public static final Setting<Double> TAU = Setting.ofDouble("tau").optDefault(StabilityConfig.DEFAULT_TAU)
            .optValidator(Validator.aboveUpTo(0, 1)).setDoc("Stability threshold on J_avg").build();

    public static final Setting<RegularizationStartMode> REG_START = Setting.ofEnum("reg-start",
                    RegularizationStartMode.class, Map.of())
            .optDefault(StabilityConfig.DEFAULT_REGULARIZATION_START).setDoc("Regularisation start").build();

    // No default here on purpose: a logged run spec must state it with FIXED; model-ops alone falls
    // back to StabilityConfig's.
    public static final Setting<Integer> SL_START = Setting.ofInt("sl-start").optValidator(Validator.atLeast(0))
            .setDoc("FIXED start: regularise when epoch > sl-start + 1 (model-ops train without it: "
                    + StabilityConfig.DEFAULT_SL_START + "; a streamed run needs it with FIXED)").build();

    public static final Setting<Double> PLATEAU_EPS = Setting.ofDouble("plateau-eps")
            .optDefault(StabilityConfig.DEFAULT_PLATEAU_EPS).optValidator(Validator.nonNegativeFinite())
            .setDoc("AUTOMATIC start: plateau threshold").build();

    public static final Setting<Double> LAMBDA_START = Setting.ofDouble("lambda-start")
            .optDefault(StabilityConfig.DEFAULT_LAMBDA_START).optValidator(Validator.nonNegativeFinite())
            .setDoc("Initial penalty").build();

    public static final Setting<Double> LAMBDA_DELTA = Setting.ofDouble("lambda-delta")
            .optDefault(StabilityConfig.DEFAULT_LAMBDA_DELTA).optValidator(Validator.nonNegativeFinite())
            .setDoc("Penalty increase per interval").build();

    public static final Setting<Integer> LAMBDA_INTERVAL = Setting.ofInt("lambda-interval")
            .optDefault(StabilityConfig.DEFAULT_LAMBDA_INTERVAL).optValidator(Validator.atLeast(1))
            .setDoc("Epochs between penalty increases").build();

    public static final Setting<Integer> HARD_CAP = Setting.ofInt("hard-cap").optValidator(Validator.atLeast(0))
            .setDoc("Prune at this epoch at the latest").build();

    /** Every setting, in the order of help texts and generated docs. */
    public static final List<Setting<?>> ALL = List.of(ARCH, NUM_CLASSES, INPUT_SHAPE, TARGET, EPOCHS, BATCH_SIZE, LR,
            SCHEDULE, MOMENTUM, NESTEROV, WEIGHT_DECAY, SEED, SALIENCY, MONITOR_START, LAG, WINDOW, TAU, REG_START,
            SL_START, PLATEAU_EPS, LAMBDA_START, LAMBDA_DELTA, LAMBDA_INTERVAL, HARD_CAP);

    private RunConfigDef() {
    }

    /** A Markdown table of every setting (flag, default, doc), for the docs. */
    public static String markdown() {
        return Setting.markdownTable(ALL);
    }
}
