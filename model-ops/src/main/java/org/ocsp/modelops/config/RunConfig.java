package org.ocsp.modelops.config;

import static org.ocsp.modelops.config.RunConfigDef.ALL;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.engine.Execution;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.modelops.setting.InvalidSettingsException;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.stability.InvalidStabilityConfigException;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.stability.StabilityRules;
import org.ocsp.modelops.train.LearningRateSchedule;
import org.ocsp.modelops.train.SgdConfig;
import org.ocsp.modelops.train.TrainingSettings;

/**
 * The validated settings of one run ({@link RunConfigDef}), and the model-ops objects built from
 * them. Settings not given take their declared default.
 *
 * <pre>{@code
 * RunConfig c = RunConfig.builder().set(RunConfigDef.EPOCHS, 10).set(RunConfigDef.HARD_CAP, 6).build();
 * StabilityConfig stability = c.stability();
 * TrainingSettings settings = c.trainingSettings(trainBatchesPerEpoch);
 * }</pre>
 */
public final class RunConfig {
    private final Map<Setting<?>, Object> values;

    private RunConfig(Map<Setting<?>, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    /** @throws IllegalStateException for an optional setting without a value (use {@link #find}) */
    public <T> T get(Setting<T> s) {
        return find(s).orElseThrow(() -> new IllegalStateException("Setting " + s + " has no value; use find()"));
    }

    public <T> Optional<T> find(Setting<T> s) {
        return Optional.ofNullable(s.type().cast(values.get(s)));
    }

    public NetworkGraph graph() {
        List<Integer> shape = get(RunConfigDef.INPUT_SHAPE);
        return Architectures.byName(get(RunConfigDef.ARCH), get(RunConfigDef.NUM_CLASSES),
                new LayerSpec.Input(shape.get(0), shape.get(1), shape.get(2)));
    }

    public StabilityConfig stability() {
        return stabilityBuilder(this::find).build();
    }

    public SgdConfig sgd() {
        return new SgdConfig(get(RunConfigDef.MOMENTUM), get(RunConfigDef.NESTEROV), get(RunConfigDef.WEIGHT_DECAY));
    }

    /**
     * The learning rate per iteration, {@code trainBatchesPerEpoch} iterations an epoch: COSINE and
     * LINEAR decay to lr-final over lr-horizon (or the planned) epochs; with lr-per-iteration false
     * the rate holds through each epoch. The streamed run computes its rate with this too.
     */
    public LearningRateSchedule schedule(long trainBatchesPerEpoch) {
        double lr = get(RunConfigDef.LR);
        long total = find(RunConfigDef.LR_HORIZON).orElse(get(RunConfigDef.EPOCHS)) * trainBatchesPerEpoch;
        LearningRateSchedule perIteration = switch (get(RunConfigDef.SCHEDULE)) {
            case MULTI_STEP -> LearningRateSchedule.multiStepAtEpochs(lr, milestoneEpochs(), get(RunConfigDef.LR_GAMMA),
                    trainBatchesPerEpoch);
            case LINEAR -> LearningRateSchedule.linear(lr, get(RunConfigDef.LR_FINAL), total);
            case STEP -> LearningRateSchedule.stepAtEpochs(lr, stepEpochs(), get(RunConfigDef.LR_GAMMA),
                    trainBatchesPerEpoch);
            default -> LearningRateSchedule.cosine(lr, get(RunConfigDef.LR_FINAL), total);
        };
        if (get(RunConfigDef.LR_PER_ITERATION)) {
            return perIteration;
        }
        return it -> perIteration.lr(it / trainBatchesPerEpoch * trainBatchesPerEpoch);
    }

    /** MULTI_STEP's milestones: the given ones, or 30/60/80/90 % of the epochs, rounded. */
    public int[] milestoneEpochs() {
        return find(RunConfigDef.LR_MILESTONES).map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .orElseGet(() -> LearningRateSchedule.cifarMilestoneEpochs(get(RunConfigDef.EPOCHS)));
    }

    /** STEP's period in epochs: the given one, or a third of the epochs, rounded, at least 1. */
    public int stepEpochs() {
        return find(RunConfigDef.LR_STEP_EPOCHS).orElseGet(() -> defaultStepEpochs(get(RunConfigDef.EPOCHS)));
    }

    /** STEP's period when none is given: a third of the planned epochs, rounded, at least 1. */
    public static int defaultStepEpochs(int epochs) {
        return Math.max(1, (int) Math.round(epochs / 3.0));
    }

    public TrainingSettings trainingSettings(long trainBatchesPerEpoch) {
        return new TrainingSettings(get(RunConfigDef.BATCH_SIZE), get(RunConfigDef.SEED), sgd(),
                schedule(trainBatchesPerEpoch), get(RunConfigDef.SALIENCY), get(RunConfigDef.COST_AWARE), execution());
    }

    public Execution execution() {
        return new Execution(get(RunConfigDef.ENGINE), get(RunConfigDef.CONV_ALGORITHM));
    }

    public SelectionSettings selection() {
        return new SelectionSettings(get(RunConfigDef.TARGET), new PruningLimit(get(RunConfigDef.MAX_PRUNE_FRACTION),
                get(RunConfigDef.PRUNE_LIMIT_RATE)), get(RunConfigDef.FLOPS_TOLERANCE), get(RunConfigDef.CHANNEL_MULTIPLE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "RunConfig{", "}");
        values.forEach((s, v) -> j.add(s.name() + "=" + v));
        return j.toString();
    }

    private interface Lookup {
        <T> Optional<T> find(Setting<T> s);
    }

    private static StabilityConfig.Builder stabilityBuilder(Lookup v) {
        StabilityConfig.Builder b = StabilityConfig.builder()
                .optMonitorStart(v.find(RunConfigDef.MONITOR_START).orElseThrow())
                .optLag(v.find(RunConfigDef.LAG).orElseThrow()).optWindow(v.find(RunConfigDef.WINDOW).orElseThrow())
                .optTau(v.find(RunConfigDef.TAU).orElseThrow())
                .optRegularizationStart(v.find(RunConfigDef.REG_START).orElseThrow())
                .optPlateauEps(v.find(RunConfigDef.PLATEAU_EPS).orElseThrow())
                .optLambdaStart(v.find(RunConfigDef.LAMBDA_START).orElseThrow())
                .optLambdaDelta(v.find(RunConfigDef.LAMBDA_DELTA).orElseThrow())
                .optLambdaInterval(v.find(RunConfigDef.LAMBDA_INTERVAL).orElseThrow())
                .optJaccardAveraging(v.find(RunConfigDef.JACCARD_AVERAGING).orElseThrow());
        v.find(RunConfigDef.SL_START).ifPresent(b::optSlStart);
        v.find(RunConfigDef.HARD_CAP).ifPresent(b::optHardCap);
        StabilityRules rules = v.find(RunConfigDef.STABILITY_RULES).orElseThrow();
        b.optStabilityRules(rules)
                .optAdaptiveStartChurn(v.find(RunConfigDef.ADAPTIVE_START_CHURN).orElseThrow())
                .optAdaptiveStopChurn(v.find(RunConfigDef.ADAPTIVE_STOP_CHURN).orElseThrow())
                .optAdaptiveNegligibleRatio(v.find(RunConfigDef.ADAPTIVE_NEGLIGIBLE_RATIO).orElseThrow())
                .optAdaptivePathShare(v.find(RunConfigDef.ADAPTIVE_PATH_SHARE).orElseThrow())
                .optAdaptiveLambdaStart(v.find(RunConfigDef.ADAPTIVE_LAMBDA_START).orElseThrow())
                .optAdaptiveGain(v.find(RunConfigDef.ADAPTIVE_GAIN).orElseThrow())
                .optAdaptiveMaxRise(v.find(RunConfigDef.ADAPTIVE_MAX_RISE).orElseThrow());
        // The ADAPTIVE path is planned against the run's planned epochs. A REFERENCE configuration
        // leaves the horizon out, so it equals the one a library user builds with the same settings.
        if (rules == StabilityRules.ADAPTIVE) {
            v.find(RunConfigDef.EPOCHS).ifPresent(b::optHorizon);
        }
        return b;
    }

    /** Collects values; nothing is checked before {@link #build()}. */
    public static final class Builder {
        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
        private final Map<Setting<?>, String> unreadable = new LinkedHashMap<>();

        private Builder() {
        }

        public <T> Builder set(Setting<T> s, T value) {
            unreadable.remove(s);
            values.put(s, value);
            return this;
        }

        /**
         * Takes the text form, as a command line gives it. Text that cannot be read leaves the
         * setting as it was and is reported by {@link #build()} with every other problem.
         */
        public <T> Builder setText(Setting<T> s, String text) {
            unreadable.remove(s);
            try {
                return set(s, s.parse(text));
            } catch (InvalidSettingsException e) {
                unreadable.put(s, e.errors().get(0));
                return this;
            }
        }

        /** Back to the declared default (none for optional settings). */
        public Builder unset(Setting<?> s) {
            values.remove(s);
            return this;
        }

        /** The value given so far, or the declared default. */
        public <T> Optional<T> find(Setting<T> s) {
            Object v = values.containsKey(s) ? values.get(s) : s.defaultValue().orElse(null);
            return Optional.ofNullable(s.type().cast(v));
        }

        /** @throws InvalidRunConfigException listing every invalid value and broken rule */
        public RunConfig build() {
            for (Setting<?> s : values.keySet()) {
                if (!ALL.contains(s)) {
                    throw new IllegalArgumentException("Setting " + s + " is not declared in RunConfigDef");
                }
            }
            List<String> errors = new ArrayList<>(unreadable.values());
            Map<Setting<?>, Object> resolved = new LinkedHashMap<>();
            for (Setting<?> s : ALL) {
                Object v = find(s).orElse(null);
                s.problem(v).ifPresent(errors::add);
                if (v != null) {
                    resolved.put(s, v);
                }
            }
            if (errors.isEmpty()) {
                checkCrossSettings(errors);
            }
            if (!errors.isEmpty()) {
                throw new InvalidRunConfigException(errors);
            }
            return new RunConfig(resolved);
        }

        // Rules spanning several settings are the model-ops classes' own (StabilityConfig, SgdConfig),
        // so they are asked here rather than restated; they only run once every single value is valid.
        private void checkCrossSettings(List<String> errors) {
            try {
                stabilityBuilder(this::find).build();
            } catch (InvalidStabilityConfigException e) {
                errors.addAll(e.errors());
            }
            try {
                new SgdConfig(find(RunConfigDef.MOMENTUM).orElseThrow(), find(RunConfigDef.NESTEROV).orElseThrow(),
                        find(RunConfigDef.WEIGHT_DECAY).orElseThrow());
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
    }
}
