package org.ocsp.modelops.stability;

import java.util.List;
import java.util.Map;
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

    /** In the order of help texts and generated docs. */
    public static final List<Setting<?>> ALL = List.of(MONITOR_START, LAG, WINDOW, TAU, REG_START, SL_START,
            PLATEAU_EPS, LAMBDA_START, LAMBDA_DELTA, LAMBDA_INTERVAL, HARD_CAP, JACCARD_AVERAGING);

    private StabilitySettings() {
    }

    static <T> T defaultOf(Setting<T> s) {
        return s.defaultValue().orElseThrow();
    }
}
