package org.ocsp.modelops.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Immutable settings of the stability-driven sub-network search (OCSPruner sections 5 to 7).
 * Every setting has a declared name and default; {@link Builder#build()} reports all invalid
 * values together.
 *
 * <pre>{@code
 * StabilityConfig c = StabilityConfig.builder()
 *     .optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(30)
 *     .optHardCap(110)
 *     .build();
 * }</pre>
 */
public final class StabilityConfig {
    public static final String MONITOR_START = "monitorStart";
    public static final String LAG = "lag";
    public static final String WINDOW = "window";
    public static final String TAU = "tau";
    public static final String REGULARIZATION_START = "regularizationStart";
    public static final String SL_START = "slStart";
    public static final String PLATEAU_EPS = "plateauEps";
    public static final String LAMBDA_START = "lambdaStart";
    public static final String LAMBDA_DELTA = "lambdaDelta";
    public static final String LAMBDA_INTERVAL = "lambdaInterval";
    public static final String HARD_CAP = "hardCap";
    public static final String JACCARD_AVERAGING = "jaccardAveraging";

    public static final int DEFAULT_MONITOR_START = 2;
    public static final int DEFAULT_LAG = 2;
    public static final int DEFAULT_WINDOW = 3;
    public static final double DEFAULT_TAU = 0.999;
    public static final RegularizationStartMode DEFAULT_REGULARIZATION_START = RegularizationStartMode.AUTOMATIC;
    public static final int DEFAULT_SL_START = 30;
    public static final double DEFAULT_PLATEAU_EPS = 1e-4;
    public static final double DEFAULT_LAMBDA_START = 1e-4;
    public static final double DEFAULT_LAMBDA_DELTA = 1e-4;
    public static final int DEFAULT_LAMBDA_INTERVAL = 1;
    public static final JaccardAveraging DEFAULT_JACCARD_AVERAGING = JaccardAveraging.UNWEIGHTED;

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
                + window + ", " + TAU + "=" + tau + ", " + REGULARIZATION_START + "=" + regularizationStart + ", "
                + SL_START + "=" + slStart + ", " + PLATEAU_EPS + "=" + plateauEps + ", " + LAMBDA_START + "="
                + lambdaStart + ", " + LAMBDA_DELTA + "=" + lambdaDelta + ", " + LAMBDA_INTERVAL + "="
                + lambdaInterval + ", " + HARD_CAP + "=" + (hardCap.isPresent() ? hardCap.getAsInt() : "none")
                + ", " + JACCARD_AVERAGING + "=" + jaccardAveraging + "}";
    }

    /** Collects settings; every setting is optional (defaults above). Nothing is checked before {@link #build()}. */
    public static final class Builder {
        private int monitorStart = DEFAULT_MONITOR_START;
        private int lag = DEFAULT_LAG;
        private int window = DEFAULT_WINDOW;
        private double tau = DEFAULT_TAU;
        private RegularizationStartMode regularizationStart = DEFAULT_REGULARIZATION_START;
        private int slStart = DEFAULT_SL_START;
        private double plateauEps = DEFAULT_PLATEAU_EPS;
        private double lambdaStart = DEFAULT_LAMBDA_START;
        private double lambdaDelta = DEFAULT_LAMBDA_DELTA;
        private int lambdaInterval = DEFAULT_LAMBDA_INTERVAL;
        private Integer hardCap;
        private JaccardAveraging jaccardAveraging = DEFAULT_JACCARD_AVERAGING;

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
            check(errors, monitorStart >= 0, MONITOR_START, monitorStart, "must be >= 0");
            check(errors, lag >= 1, LAG, lag, "must be >= 1 (s_t compares M_t with an earlier mask)");
            check(errors, window >= 1, WINDOW, window, "must be >= 1");
            check(errors, tau > 0.0 && tau <= 1.0, TAU, tau, "must be in (0, 1] because J_avg lies in [0, 1]");
            check(errors, regularizationStart != null, REGULARIZATION_START, regularizationStart,
                    "must be one of " + java.util.Arrays.toString(RegularizationStartMode.values()));
            check(errors, slStart >= 0, SL_START, slStart, "must be >= 0");
            checkNonNegativeFinite(errors, PLATEAU_EPS, plateauEps);
            checkNonNegativeFinite(errors, LAMBDA_START, lambdaStart);
            checkNonNegativeFinite(errors, LAMBDA_DELTA, lambdaDelta);
            check(errors, lambdaInterval >= 1, LAMBDA_INTERVAL, lambdaInterval, "must be >= 1");
            check(errors, jaccardAveraging != null, JACCARD_AVERAGING, jaccardAveraging,
                    "must be one of " + java.util.Arrays.toString(JaccardAveraging.values()));
            checkCrossSettings(errors);
            if (!errors.isEmpty()) {
                throw new InvalidStabilityConfigException(errors);
            }
            return new StabilityConfig(this);
        }

        // Rules spanning several settings live here, next to each other. Both need a mask M_t at
        // the epoch in question, and masks only exist from monitorStart on.
        private void checkCrossSettings(List<String> errors) {
            if (hardCap != null) {
                check(errors, hardCap >= Math.max(0, monitorStart), HARD_CAP, hardCap,
                        "must be >= " + MONITOR_START + " (" + monitorStart
                                + ") because pruning at the hard cap needs that epoch's sub-network");
            }
            if (regularizationStart == RegularizationStartMode.FIXED && slStart >= 0 && monitorStart >= 0) {
                long firstActive = (long) slStart + 2;
                check(errors, firstActive >= monitorStart, SL_START, slStart,
                        "with " + REGULARIZATION_START + "=FIXED the penalty starts at epoch " + SL_START + " + 2 = "
                                + firstActive + ", before " + MONITOR_START + " (" + monitorStart
                                + "); the penalty needs a sub-network mask, so use " + SL_START + " >= "
                                + (monitorStart - 2));
            }
        }

        private static void checkNonNegativeFinite(List<String> errors, String name, double value) {
            check(errors, Double.isFinite(value) && value >= 0.0, name, value, "must be finite and >= 0");
        }

        private static void check(List<String> errors, boolean ok, String name, Object value, String reason) {
            if (!ok) {
                errors.add("Invalid value " + value + " for configuration " + name + ": " + reason);
            }
        }
    }
}
