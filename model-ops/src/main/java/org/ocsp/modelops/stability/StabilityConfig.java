package org.ocsp.modelops.stability;

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
 * }</pre>
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
                && jaccardAveraging == c.jaccardAveraging;
    }

    @Override
    public int hashCode() {
        return Objects.hash(monitorStart, lag, window, tau, regularizationStart, slStart, plateauEps, lambdaStart,
                lambdaDelta, lambdaInterval, hardCap, jaccardAveraging);
    }

    @Override
    public String toString() {
        return "StabilityConfig{" + MONITOR_START + "=" + monitorStart + ", " + LAG + "=" + lag + ", " + WINDOW + "="
                + window + ", " + TAU + "=" + tau + ", " + REG_START + "=" + regularizationStart + ", "
                + SL_START + "=" + slStart + ", " + PLATEAU_EPS + "=" + plateauEps + ", " + LAMBDA_START + "="
                + lambdaStart + ", " + LAMBDA_DELTA + "=" + lambdaDelta + ", " + LAMBDA_INTERVAL + "="
                + lambdaInterval + ", " + HARD_CAP + "=" + (hardCap.isPresent() ? hardCap.getAsInt() : "none")
                + ", " + JACCARD_AVERAGING + "=" + jaccardAveraging + "}";
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

        // Rules spanning several settings live here, next to each other. Both need a mask M_t at
        // the epoch in question, and masks only exist from monitor-start on.
        private void checkCrossSettings(List<String> errors) {
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
