package org.ocsp.modelops.config;

import java.util.Locale;
import java.util.function.Predicate;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.stability.RegularizationStartMode;

/**
 * A named starting point for a run's settings. A preset fills in the settings the user did not
 * give (a given one always wins) and says which subset of Fashion-MNIST it is meant for. One
 * declaration, used by {@code ocsp demo}, {@code model-ops train --preset demo} (the demo's
 * {@code --offline} path) and {@code ocsp run start --preset demo} (deploy/application-mode.sh),
 * so the three run the same algorithm with the same thresholds.
 *
 * <pre>{@code
 * RunConfig.Builder b = RunPreset.DEMO.applyTo(RunConfig.builder(), s -> false);
 * }</pre>
 */
public enum RunPreset {
    /**
     * A run that reaches t* within minutes on 2048 training images: 10 epochs at lr 0.05,
     * monitoring from epoch 1, regularisation from epoch 1 (FIXED), lambda 0.2 + 0.2, tau 0.9, and
     * a hard cap at 60 % of the epochs. The reference's thresholds are far slower to agree
     * ({@code --reg-start AUTOMATIC --tau 0.999 --lambda-start 1e-4 --lambda-delta 1e-4}).
     */
    DEMO(2048, 512) {
        @Override
        public RunConfig.Builder applyTo(RunConfig.Builder b, Predicate<Setting<?>> given) {
            unlessGiven(b, given, RunConfigDef.EPOCHS, 10);
            unlessGiven(b, given, RunConfigDef.LR, 0.05);
            unlessGiven(b, given, RunConfigDef.MONITOR_START, 1);
            unlessGiven(b, given, RunConfigDef.REG_START, RegularizationStartMode.FIXED);
            if (b.find(RunConfigDef.REG_START).orElseThrow() == RegularizationStartMode.FIXED) {
                unlessGiven(b, given, RunConfigDef.SL_START, 1);
            }
            unlessGiven(b, given, RunConfigDef.LAMBDA_START, 0.2);
            unlessGiven(b, given, RunConfigDef.LAMBDA_DELTA, 0.2);
            unlessGiven(b, given, RunConfigDef.TAU, 0.9);
            unlessGiven(b, given, RunConfigDef.HARD_CAP, Math.max(b.find(RunConfigDef.MONITOR_START).orElseThrow(),
                    b.find(RunConfigDef.EPOCHS).orElseThrow() * 6 / 10));
            return b;
        }
    };

    private final int trainSubset;
    private final int testSubset;

    RunPreset(int trainSubset, int testSubset) {
        this.trainSubset = trainSubset;
        this.testSubset = testSubset;
    }

    /** The preset's values for every setting {@code given} does not name; derived ones (hard cap) follow the result. */
    public abstract RunConfig.Builder applyTo(RunConfig.Builder b, Predicate<Setting<?>> given);

    /** Training images the preset is meant for (the first N of Fashion-MNIST's training set). */
    public int trainSubset() {
        return trainSubset;
    }

    /** Test images the preset is meant for. */
    public int testSubset() {
        return testSubset;
    }

    /** The preset's command-line name, e.g. {@code demo}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static <T> void unlessGiven(RunConfig.Builder b, Predicate<Setting<?>> given, Setting<T> s, T value) {
        if (!given.test(s)) {
            b.set(s, value);
        }
    }
}
