package org.ocsp.modelops.stability;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.setting.Validator;

/**
 * The settings of the stability-driven sub-network search, declared once: flag name, type,
 * default (the reference's), validator and documentation. {@link StabilityConfig.Builder} takes its
 * defaults and single-value checks from here, and {@code RunConfigDef} lists these declarations
 * among the run settings, so a library user and a command-line user see the same names and rules.
 *
 * <pre>{@code
 * int lag = StabilitySettings.LAG.defaultValue().orElseThrow();   // 2
 * StabilitySettings.TAU.problem(1.5);  // Optional[Invalid value 1.5 for configuration tau: must be in (0.0, 1.0]]
 * }</pre>
 */
public final class StabilitySettings {
    public static final Setting<Integer> MONITOR_START = Setting.ofInt("monitor-start").optDefault(2)
            .optValidator(Validator.atLeast(0)).setDoc("First epoch a sub-network is computed").build();

    public static final Setting<Integer> LAG = Setting.ofInt("lag").optDefault(2)
            .optValidator(Validator.atLeast(1).because("(s_t compares M_t with an earlier mask)"))
            .setDoc("s_t compares the sub-network with the one this many epochs earlier").build();

    public static final Setting<Integer> WINDOW = Setting.ofInt("window").optDefault(3)
            .optValidator(Validator.atLeast(1)).setDoc("Similarity values averaged into J_avg").build();

    public static final Setting<Double> TAU = Setting.ofDouble("tau").optDefault(0.999)
            .optValidator(Validator.aboveUpTo(0, 1).because("because J_avg lies in [0, 1]"))
            .setDoc("Stability threshold on J_avg").build();

    public static final Setting<RegularizationStartMode> REG_START = Setting.ofEnum("reg-start",
                    RegularizationStartMode.class, Map.of())
            .optDefault(RegularizationStartMode.AUTOMATIC).setDoc("Regularisation start").build();

    public static final Setting<Integer> SL_START = Setting.ofInt("sl-start").optDefault(30)
            .optValidator(Validator.atLeast(0)).setDoc("FIXED start: regularise when epoch > sl-start + 1").build();

    public static final Setting<Double> PLATEAU_EPS = Setting.ofDouble("plateau-eps").optDefault(1e-4)
            .optValidator(Validator.nonNegativeFinite()).setDoc("AUTOMATIC start: plateau threshold").build();

    public static final Setting<Double> LAMBDA_START = Setting.ofDouble("lambda-start").optDefault(1e-4)
            .optValidator(Validator.nonNegativeFinite()).setDoc("Initial penalty").build();

    public static final Setting<Double> LAMBDA_DELTA = Setting.ofDouble("lambda-delta").optDefault(1e-4)
            .optValidator(Validator.nonNegativeFinite()).setDoc("Penalty increase per interval").build();

    public static final Setting<Integer> LAMBDA_INTERVAL = Setting.ofInt("lambda-interval").optDefault(1)
            .optValidator(Validator.atLeast(1)).setDoc("Epochs between penalty increases").build();

    public static final Setting<Integer> HARD_CAP = Setting.ofInt("hard-cap").optValidator(Validator.atLeast(0))
            .setDoc("Prune at this epoch at the latest").build();

    public static final Setting<JaccardAveraging> JACCARD_AVERAGING = Setting.ofEnum("jaccard-averaging",
                    JaccardAveraging.class, Map.of()).optDefault(JaccardAveraging.UNWEIGHTED)
            .setDoc("How the groups' Jaccard similarities make s_t (UNWEIGHTED: the reference's mean; WEIGHTED: by each "
                    + "group's original width, so a 16-channel group counts less than a 512-channel one)").build();

    public static final Setting<StabilityRules> STABILITY_RULES = Setting.ofEnum("stability-rules", StabilityRules.class,
                    Map.of()).optDefault(StabilityRules.REFERENCE)
            .setDoc("Rules of start, penalty and t* (REFERENCE: the reference's, bit for bit; ADAPTIVE: start when the "
                    + "selection stops churning, lambda steered along a planned path of the removed channels' weight, t* "
                    + "when the selection is stable and that weight negligible; the adaptive-* settings)").build();

    public static final Setting<Double> ADAPTIVE_START_CHURN = Setting.ofDouble("adaptive-start-churn").optDefault(0.2)
            .optValidator(Validator.aboveUpTo(0, 1).because("(a share of the channels to remove)"))
            .setDoc("ADAPTIVE: regularise from the first epoch where at most this share of the channels selected for "
                    + "removal were kept one epoch earlier").build();

    public static final Setting<Double> ADAPTIVE_STOP_CHURN = Setting.ofDouble("adaptive-stop-churn").optDefault(0.02)
            .optValidator(Validator.fromUntil(0, 1).because("(a share of the channels to remove)"))
            .setDoc("ADAPTIVE: the selection is stable, a condition of t*, when at most this share of the channels "
                    + "selected for removal were kept one epoch earlier (or when J_avg >= tau)").build();

    public static final Setting<Double> ADAPTIVE_NEGLIGIBLE_RATIO = Setting.ofDouble("adaptive-negligible-ratio")
            .optDefault(0.05).optValidator(Validator.between(0, 1))
            .setDoc("ADAPTIVE: removal weight (mean score of the channels to remove / mean score of the kept ones) that "
                    + "counts as negligible; the end of the penalty's planned path and a condition of t*").build();

    public static final Setting<Double> ADAPTIVE_PATH_SHARE = Setting.ofDouble("adaptive-path-share").optDefault(0.3)
            .optValidator(Validator.aboveUpTo(0, 1))
            .setDoc("ADAPTIVE: the planned path reaches adaptive-negligible-ratio after this share of the epochs left "
                    + "between the start and the planned last epoch (at least 2 epochs)").build();

    public static final Setting<Double> ADAPTIVE_LAMBDA_START = Setting.ofDouble("adaptive-lambda-start")
            .optDefault(0.01).optValidator(Validator.positiveFinite())
            .setDoc("ADAPTIVE: lambda at the start epoch (lambda-start is the reference's)").build();

    public static final Setting<Double> ADAPTIVE_GAIN = Setting.ofDouble("adaptive-gain").optDefault(2.0)
            .optValidator(Validator.positiveFinite())
            .setDoc("ADAPTIVE: lambda is multiplied by (removal weight / planned weight) ^ gain per epoch, within [1, "
                    + "adaptive-max-rise]").build();

    public static final Setting<Double> ADAPTIVE_MAX_RISE = Setting.ofDouble("adaptive-max-rise").optDefault(4.0)
            .optValidator(v -> Double.isFinite(v.doubleValue()) && v.doubleValue() >= 1 ? Optional.empty()
                    : Optional.of("must be finite and >= 1 (lambda never falls)"))
            .setDoc("ADAPTIVE: the most lambda is multiplied by from one epoch to the next").build();

    /** The ADAPTIVE rules' own settings, in the order of help texts. */
    public static final List<Setting<?>> ADAPTIVE = List.of(ADAPTIVE_START_CHURN, ADAPTIVE_STOP_CHURN,
            ADAPTIVE_NEGLIGIBLE_RATIO, ADAPTIVE_PATH_SHARE, ADAPTIVE_LAMBDA_START, ADAPTIVE_GAIN, ADAPTIVE_MAX_RISE);

    /** In the order of help texts and generated docs. */
    public static final List<Setting<?>> ALL = List.of(MONITOR_START, LAG, WINDOW, TAU, REG_START, SL_START,
            PLATEAU_EPS, LAMBDA_START, LAMBDA_DELTA, LAMBDA_INTERVAL, HARD_CAP, JACCARD_AVERAGING, STABILITY_RULES,
            ADAPTIVE_START_CHURN, ADAPTIVE_STOP_CHURN, ADAPTIVE_NEGLIGIBLE_RATIO, ADAPTIVE_PATH_SHARE,
            ADAPTIVE_LAMBDA_START, ADAPTIVE_GAIN, ADAPTIVE_MAX_RISE);

    private StabilitySettings() {
    }

    static <T> T defaultOf(Setting<T> s) {
        return s.defaultValue().orElseThrow();
    }
}
