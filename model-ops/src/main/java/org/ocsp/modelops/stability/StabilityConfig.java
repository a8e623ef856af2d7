package org.ocsp.modelops.stability;

import static org.ocsp.modelops.stability.StabilitySettings.ADAPTIVE_GAIN;
import static org.ocsp.modelops.stability.StabilitySettings.ADAPTIVE_LAMBDA_START;
import static org.ocsp.modelops.stability.StabilitySettings.ADAPTIVE_MAX_RISE;
import static org.ocsp.modelops.stability.StabilitySettings.ADAPTIVE_NEGLIGIBLE_RATIO;
import static org.ocsp.modelops.stability.StabilitySettings.ADAPTIVE_PATH_SHARE;
import static org.ocsp.modelops.stability.StabilitySettings.ADAPTIVE_START_CHURN;
import static org.ocsp.modelops.stability.StabilitySettings.ADAPTIVE_STOP_CHURN;
import static org.ocsp.modelops.stability.StabilitySettings.HARD_CAP;
import static org.ocsp.modelops.stability.StabilitySettings.JACCARD_AVERAGING;
import static org.ocsp.modelops.stability.StabilitySettings.LAG;
import static org.ocsp.modelops.stability.StabilitySettings.LAMBDA_DELTA;
import static org.ocsp.modelops.stability.StabilitySettings.LAMBDA_INTERVAL;
import static org.ocsp.modelops.stability.StabilitySettings.LAMBDA_START;
import static org.ocsp.modelops.stability.StabilitySettings.MONITOR_START;
import static org.ocsp.modelops.stability.StabilitySettings.PLATEAU_EPS;
import static org.ocsp.modelops.stability.StabilitySettings.REG_START;
import static org.ocsp.modelops.stability.StabilitySettings.SL_START;
import static org.ocsp.modelops.stability.StabilitySettings.STABILITY_RULES;
import static org.ocsp.modelops.stability.StabilitySettings.TAU;
import static org.ocsp.modelops.stability.StabilitySettings.WINDOW;
import static org.ocsp.modelops.stability.StabilitySettings.defaultOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.ocsp.modelops.setting.Setting;

/**
 * Immutable settings of the stability-driven sub-network search (OCSPruner sections 5 to 7).
 * Names, defaults and single-value rules are {@link StabilitySettings}' declarations;
 * {@link Builder#build()} reports all invalid values together, then the rules between settings.
 *
 * <pre>{@code
 * StabilityConfig c = StabilityConfig.builder()
 *     .optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(30)
 *     .optHardCap(110)
 *     .build();
 * StabilityConfig adaptive = StabilityConfig.builder()
 *     .optStabilityRules(StabilityRules.ADAPTIVE).optHorizon(30)   // the run's planned epochs
 *     .build();
 * }</pre>
 * The adaptive settings are held (at their defaults) in REFERENCE mode too, where nothing reads them.
 */
public final class StabilityConfig {
    private final int monitorStart;
    private final int lag;
    private final int window;
    private final double tau;
    private final RegularizationStartMode regularizationStart;
    private final int slStart;
    private final double plateauEps;
    private final double lambdaStart;
    private final double lambdaDelta;
    private final int lambdaInterval;
    private final OptionalInt hardCap;
    private final JaccardAveraging jaccardAveraging;
    private final StabilityRules stabilityRules;
    private final double adaptiveStartChurn;
    private final double adaptiveStopChurn;
    private final double adaptiveNegligibleRatio;
    private final double adaptivePathShare;
    private final double adaptiveLambdaStart;
    private final double adaptiveGain;
    private final double adaptiveMaxRise;
    private final OptionalInt horizon;

    private StabilityConfig(Builder b) {
        this.monitorStart = b.monitorStart;
        this.lag = b.lag;
        this.window = b.window;
        this.tau = b.tau;
        this.regularizationStart = b.regularizationStart;
        this.slStart = b.slStart;
        this.plateauEps = b.plateauEps;
        this.lambdaStart = b.lambdaStart;
        this.lambdaDelta = b.lambdaDelta;
        this.lambdaInterval = b.lambdaInterval;
        this.hardCap = b.hardCap == null ? OptionalInt.empty() : OptionalInt.of(b.hardCap);
        this.jaccardAveraging = b.jaccardAveraging;
        this.stabilityRules = b.stabilityRules;
        this.adaptiveStartChurn = b.adaptiveStartChurn;
        this.adaptiveStopChurn = b.adaptiveStopChurn;
        this.adaptiveNegligibleRatio = b.adaptiveNegligibleRatio;
        this.adaptivePathShare = b.adaptivePathShare;
        this.adaptiveLambdaStart = b.adaptiveLambdaStart;
        this.adaptiveGain = b.adaptiveGain;
        this.adaptiveMaxRise = b.adaptiveMaxRise;
        this.horizon = b.horizon == null ? OptionalInt.empty() : OptionalInt.of(b.horizon);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The reference defaults (no hard cap). */
    public static StabilityConfig defaults() {
        return builder().build();
    }

    /** First epoch at which a candidate sub-network is computed. */
    public int monitorStart() {
        return monitorStart;
    }

    /** s_t compares M_t with M_{t - lag}. */
    public int lag() {
        return lag;
    }

    /** J_avg(t) averages the last {@code window} values of s. */
    public int window() {
        return window;
    }

    /** Stability threshold: t* is the first epoch with J_avg(t) >= tau. */
    public double tau() {
        return tau;
    }

    public RegularizationStartMode regularizationStart() {
        return regularizationStart;
    }

    /** FIXED mode: regularisation is active for epochs t > slStart + 1. */
    public int slStart() {
        return slStart;
    }

    /** AUTOMATIC mode: plateau when J_avg(t) - J_avg(t-2) <= plateauEps. */
    public double plateauEps() {
        return plateauEps;
    }

    public double lambdaStart() {
        return lambdaStart;
    }

    public double lambdaDelta() {
        return lambdaDelta;
    }

    /** lambda grows by lambdaDelta every lambdaInterval epochs after the start of regularisation. */
    public int lambdaInterval() {
        return lambdaInterval;
    }

    /** Epoch at which t* is forced if J_avg has not reached tau before. */
    public OptionalInt hardCap() {
        return hardCap;
    }

    public JaccardAveraging jaccardAveraging() {
        return jaccardAveraging;
    }

    /** REFERENCE (default) or ADAPTIVE start, penalty and stop rules. */
    public StabilityRules stabilityRules() {
        return stabilityRules;
    }

    /** ADAPTIVE: regularisation starts at the first epoch with churn_t <= this. */
    public double adaptiveStartChurn() {
        return adaptiveStartChurn;
    }

    /** ADAPTIVE: t* needs churn_t <= this. */
    public double adaptiveStopChurn() {
        return adaptiveStopChurn;
    }

    /** ADAPTIVE: the removal weight that counts as negligible (end of the planned path, condition of t*). */
    public double adaptiveNegligibleRatio() {
        return adaptiveNegligibleRatio;
    }

    /** ADAPTIVE: the share of the epochs left after the start over which the planned path reaches its end. */
    public double adaptivePathShare() {
        return adaptivePathShare;
    }

    /** ADAPTIVE: lambda at the start epoch. */
    public double adaptiveLambdaStart() {
        return adaptiveLambdaStart;
    }

    /** ADAPTIVE: exponent of (removal weight / planned weight) in lambda's per-epoch factor. */
    public double adaptiveGain() {
        return adaptiveGain;
    }

    /** ADAPTIVE: the largest per-epoch factor of lambda. */
    public double adaptiveMaxRise() {
        return adaptiveMaxRise;
    }

    /**
     * The run's planned epoch count, which the ADAPTIVE path is planned against (required there;
     * not a run setting of its own: {@code RunConfig} passes its epochs).
     */
    public OptionalInt horizon() {
        return horizon;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StabilityConfig c)) {
            return false;
        }
        return monitorStart == c.monitorStart && lag == c.lag && window == c.window
                && Double.compare(tau, c.tau) == 0 && regularizationStart == c.regularizationStart
                && slStart == c.slStart && Double.compare(plateauEps, c.plateauEps) == 0
                && Double.compare(lambdaStart, c.lambdaStart) == 0 && Double.compare(lambdaDelta, c.lambdaDelta) == 0
                && lambdaInterval == c.lambdaInterval && hardCap.equals(c.hardCap)
                && jaccardAveraging == c.jaccardAveraging && stabilityRules == c.stabilityRules
                && Double.compare(adaptiveStartChurn, c.adaptiveStartChurn) == 0
                && Double.compare(adaptiveStopChurn, c.adaptiveStopChurn) == 0
                && Double.compare(adaptiveNegligibleRatio, c.adaptiveNegligibleRatio) == 0
                && Double.compare(adaptivePathShare, c.adaptivePathShare) == 0
                && Double.compare(adaptiveLambdaStart, c.adaptiveLambdaStart) == 0
                && Double.compare(adaptiveGain, c.adaptiveGain) == 0
                && Double.compare(adaptiveMaxRise, c.adaptiveMaxRise) == 0 && horizon.equals(c.horizon);
    }

    @Override
    public int hashCode() {
        return Objects.hash(monitorStart, lag, window, tau, regularizationStart, slStart, plateauEps, lambdaStart,
                lambdaDelta, lambdaInterval, hardCap, jaccardAveraging, stabilityRules, adaptiveStartChurn,
                adaptiveStopChurn, adaptiveNegligibleRatio, adaptivePathShare, adaptiveLambdaStart, adaptiveGain,
                adaptiveMaxRise, horizon);
    }

    // A REFERENCE configuration reads as it did before the adaptive rules existed.
    @Override
    public String toString() {
        String adaptive = stabilityRules == StabilityRules.REFERENCE ? "" : ", " + STABILITY_RULES + "=" + stabilityRules
                + ", " + ADAPTIVE_START_CHURN + "=" + adaptiveStartChurn + ", " + ADAPTIVE_STOP_CHURN + "="
                + adaptiveStopChurn + ", " + ADAPTIVE_NEGLIGIBLE_RATIO + "=" + adaptiveNegligibleRatio + ", "
                + ADAPTIVE_PATH_SHARE + "=" + adaptivePathShare + ", " + ADAPTIVE_LAMBDA_START + "=" + adaptiveLambdaStart
                + ", " + ADAPTIVE_GAIN + "=" + adaptiveGain + ", " + ADAPTIVE_MAX_RISE + "=" + adaptiveMaxRise
                + ", horizon=" + (horizon.isPresent() ? horizon.getAsInt() : "none");
        return "StabilityConfig{" + MONITOR_START + "=" + monitorStart + ", " + LAG + "=" + lag + ", " + WINDOW + "="
                + window + ", " + TAU + "=" + tau + ", " + REG_START + "=" + regularizationStart + ", "
                + SL_START + "=" + slStart + ", " + PLATEAU_EPS + "=" + plateauEps + ", " + LAMBDA_START + "="
                + lambdaStart + ", " + LAMBDA_DELTA + "=" + lambdaDelta + ", " + LAMBDA_INTERVAL + "="
                + lambdaInterval + ", " + HARD_CAP + "=" + (hardCap.isPresent() ? hardCap.getAsInt() : "none")
                + ", " + JACCARD_AVERAGING + "=" + jaccardAveraging + adaptive + "}";
    }

    /** Collects settings; every setting is optional (defaults above). Nothing is checked before {@link #build()}. */
    public static final class Builder {
        private int monitorStart = defaultOf(MONITOR_START);
        private int lag = defaultOf(LAG);
        private int window = defaultOf(WINDOW);
        private double tau = defaultOf(TAU);
        private RegularizationStartMode regularizationStart = defaultOf(REG_START);
        private int slStart = defaultOf(SL_START);
        private double plateauEps = defaultOf(PLATEAU_EPS);
        private double lambdaStart = defaultOf(LAMBDA_START);
        private double lambdaDelta = defaultOf(LAMBDA_DELTA);
        private int lambdaInterval = defaultOf(LAMBDA_INTERVAL);
        private Integer hardCap;
        private JaccardAveraging jaccardAveraging = defaultOf(JACCARD_AVERAGING);
        private StabilityRules stabilityRules = defaultOf(STABILITY_RULES);
        private double adaptiveStartChurn = defaultOf(ADAPTIVE_START_CHURN);
        private double adaptiveStopChurn = defaultOf(ADAPTIVE_STOP_CHURN);
        private double adaptiveNegligibleRatio = defaultOf(ADAPTIVE_NEGLIGIBLE_RATIO);
        private double adaptivePathShare = defaultOf(ADAPTIVE_PATH_SHARE);
        private double adaptiveLambdaStart = defaultOf(ADAPTIVE_LAMBDA_START);
        private double adaptiveGain = defaultOf(ADAPTIVE_GAIN);
        private double adaptiveMaxRise = defaultOf(ADAPTIVE_MAX_RISE);
        private Integer horizon;

        private Builder() {
        }

        public Builder optMonitorStart(int epoch) {
            this.monitorStart = epoch;
            return this;
        }

        public Builder optLag(int epochs) {
            this.lag = epochs;
            return this;
        }

        public Builder optWindow(int values) {
            this.window = values;
            return this;
        }

        public Builder optTau(double tau) {
            this.tau = tau;
            return this;
        }

        public Builder optRegularizationStart(RegularizationStartMode mode) {
            this.regularizationStart = mode;
            return this;
        }

        public Builder optSlStart(int epoch) {
            this.slStart = epoch;
            return this;
        }

        public Builder optPlateauEps(double eps) {
            this.plateauEps = eps;
            return this;
        }

        public Builder optLambdaStart(double lambda) {
            this.lambdaStart = lambda;
            return this;
        }

        public Builder optLambdaDelta(double delta) {
            this.lambdaDelta = delta;
            return this;
        }

        public Builder optLambdaInterval(int epochs) {
            this.lambdaInterval = epochs;
            return this;
        }

        public Builder optHardCap(int epoch) {
            this.hardCap = epoch;
            return this;
        }

        /** Removes a previously set hard cap (the default has none). */
        public Builder noHardCap() {
            this.hardCap = null;
            return this;
        }

        public Builder optJaccardAveraging(JaccardAveraging averaging) {
            this.jaccardAveraging = averaging;
            return this;
        }

        public Builder optStabilityRules(StabilityRules rules) {
            this.stabilityRules = rules;
            return this;
        }

        public Builder optAdaptiveStartChurn(double churn) {
            this.adaptiveStartChurn = churn;
            return this;
        }

        public Builder optAdaptiveStopChurn(double churn) {
            this.adaptiveStopChurn = churn;
            return this;
        }

        public Builder optAdaptiveNegligibleRatio(double ratio) {
            this.adaptiveNegligibleRatio = ratio;
            return this;
        }

        public Builder optAdaptivePathShare(double share) {
            this.adaptivePathShare = share;
            return this;
        }

        public Builder optAdaptiveLambdaStart(double lambda) {
            this.adaptiveLambdaStart = lambda;
            return this;
        }

        public Builder optAdaptiveGain(double gain) {
            this.adaptiveGain = gain;
            return this;
        }

        public Builder optAdaptiveMaxRise(double factor) {
            this.adaptiveMaxRise = factor;
            return this;
        }

        /** The run's planned epoch count; required with {@link StabilityRules#ADAPTIVE}. */
        public Builder optHorizon(int epochs) {
            this.horizon = epochs;
            return this;
        }

        /** Removes a previously set horizon. */
        public Builder noHorizon() {
            this.horizon = null;
            return this;
        }

        /** @throws InvalidStabilityConfigException listing every invalid setting */
        public StabilityConfig build() {
            List<String> errors = new ArrayList<>();
            check(errors, MONITOR_START, monitorStart);
            check(errors, LAG, lag);
            check(errors, WINDOW, window);
            check(errors, TAU, tau);
            check(errors, REG_START, regularizationStart);
            check(errors, SL_START, slStart);
            check(errors, PLATEAU_EPS, plateauEps);
            check(errors, LAMBDA_START, lambdaStart);
            check(errors, LAMBDA_DELTA, lambdaDelta);
            check(errors, LAMBDA_INTERVAL, lambdaInterval);
            check(errors, HARD_CAP, hardCap);
            check(errors, ADAPTIVE_START_CHURN, adaptiveStartChurn);
            check(errors, ADAPTIVE_STOP_CHURN, adaptiveStopChurn);
            check(errors, ADAPTIVE_NEGLIGIBLE_RATIO, adaptiveNegligibleRatio);
            check(errors, ADAPTIVE_PATH_SHARE, adaptivePathShare);
            check(errors, ADAPTIVE_LAMBDA_START, adaptiveLambdaStart);
            check(errors, ADAPTIVE_GAIN, adaptiveGain);
            check(errors, ADAPTIVE_MAX_RISE, adaptiveMaxRise);
            if (horizon != null && horizon < 1) {
                errors.add("Invalid value " + horizon + " for configuration horizon: must be >= 1 (the planned epochs)");
            }
            if (stabilityRules == null) {
                errors.add("Missing configuration " + STABILITY_RULES);
            }
            if (regularizationStart == null) {
                errors.add("Missing configuration " + REG_START);
            }
            if (jaccardAveraging == null) {
                errors.add("Missing configuration " + JACCARD_AVERAGING);
            }
            checkCrossSettings(errors);
            if (!errors.isEmpty()) {
                throw new InvalidStabilityConfigException(errors);
            }
            return new StabilityConfig(this);
        }

        // Rules spanning several settings live here, next to each other. The first two need a mask
        // M_t at the epoch in question, and masks only exist from monitor-start on.
        private void checkCrossSettings(List<String> errors) {
            if (stabilityRules == StabilityRules.ADAPTIVE && horizon == null) {
                errors.add("Missing configuration horizon: with " + STABILITY_RULES + "=ADAPTIVE the penalty's path is "
                        + "planned against the run's planned epochs; pass them with optHorizon (model-ops train and "
                        + "RunConfig pass the epochs)");
            }
            if (hardCap != null && hardCap < Math.max(0, monitorStart)) {
                errors.add("Invalid value " + hardCap + " for configuration " + HARD_CAP + ": must be >= " + MONITOR_START
                        + " (" + monitorStart + ") because pruning at the hard cap needs that epoch's sub-network");
            }
            if (regularizationStart == RegularizationStartMode.FIXED && slStart >= 0 && monitorStart >= 0
                    && slStart + 2 < monitorStart) {
                errors.add("Invalid value " + slStart + " for configuration " + SL_START + ": with " + REG_START
                        + "=FIXED the penalty starts at epoch " + SL_START + " + 2 = " + (slStart + 2) + ", before "
                        + MONITOR_START + " (" + monitorStart + "); the penalty needs a sub-network mask, so use "
                        + SL_START + " >= " + (monitorStart - 2));
            }
        }

        private static void check(List<String> errors, Setting<?> s, Object value) {
            s.problem(value).ifPresent(errors::add);
        }
    }
}
