package org.ocsp.modelops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.stability.StabilityRules;

/** The run settings of issue 18: stability-rules and its adaptive-* settings, STEP, channel-multiple. */
class AdaptiveRunSettingsTest {
    @Test
    void adaptiveRulesArePlannedAgainstTheRunsEpochs() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.STABILITY_RULES, StabilityRules.ADAPTIVE)
                .set(RunConfigDef.EPOCHS, 24).set(RunConfigDef.ADAPTIVE_START_CHURN, 0.1).build();
        StabilityConfig s = c.stability();
        assertEquals(StabilityRules.ADAPTIVE, s.stabilityRules());
        assertEquals(OptionalInt.of(24), s.horizon());
        assertEquals(0.1, s.adaptiveStartChurn());
        assertEquals(StabilityConfig.builder().optStabilityRules(StabilityRules.ADAPTIVE).optHorizon(24)
                .optAdaptiveStartChurn(0.1).build(), s);
    }

    @Test
    void referenceRulesCarryNoHorizon() {
        assertEquals(OptionalInt.empty(), RunConfig.builder().set(RunConfigDef.EPOCHS, 24).build().stability().horizon());
    }

    @Test
    void aLibraryUserMustPassTheHorizonForAdaptiveRules() {
        var e = assertThrows(org.ocsp.modelops.stability.InvalidStabilityConfigException.class,
                () -> StabilityConfig.builder().optStabilityRules(StabilityRules.ADAPTIVE).build());
        assertEquals(List.of("Missing configuration horizon: with stability-rules=ADAPTIVE the penalty's path is planned "
                + "against the run's planned epochs; pass them with optHorizon (model-ops train and RunConfig pass the "
                + "epochs)"), e.errors());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(RunConfigDef.ADAPTIVE_START_CHURN, "0", "Invalid value 0.0 for configuration "
                        + "adaptive-start-churn: must be in (0.0, 1.0] (a share of the channels to remove)"),
                Arguments.of(RunConfigDef.ADAPTIVE_STOP_CHURN, "1", "Invalid value 1.0 for configuration "
                        + "adaptive-stop-churn: must be in [0.0, 1.0) (a share of the channels to remove)"),
                Arguments.of(RunConfigDef.ADAPTIVE_NEGLIGIBLE_RATIO, "1.5", "Invalid value 1.5 for configuration "
                        + "adaptive-negligible-ratio: must be in (0.0, 1.0)"),
                Arguments.of(RunConfigDef.ADAPTIVE_PATH_SHARE, "0", "Invalid value 0.0 for configuration "
                        + "adaptive-path-share: must be in (0.0, 1.0]"),
                Arguments.of(RunConfigDef.ADAPTIVE_LAMBDA_START, "0", "Invalid value 0.0 for configuration "
                        + "adaptive-lambda-start: must be finite and > 0"),
                Arguments.of(RunConfigDef.ADAPTIVE_GAIN, "-1", "Invalid value -1.0 for configuration adaptive-gain: "
                        + "must be finite and > 0"),
                Arguments.of(RunConfigDef.ADAPTIVE_MAX_RISE, "0.5", "Invalid value 0.5 for configuration "
                        + "adaptive-max-rise: must be finite and >= 1 (lambda never falls)"),
                Arguments.of(RunConfigDef.LR_STEP_EPOCHS, "0", "Invalid value 0 for configuration lr-step-epochs: "
                        + "must be >= 1"),
                Arguments.of(RunConfigDef.CHANNEL_MULTIPLE, "0", "Invalid value 0 for configuration channel-multiple: "
                        + "must be >= 1"),
                Arguments.of(RunConfigDef.STABILITY_RULES, "FAST", "Invalid value 'FAST' for configuration "
                        + "stability-rules"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueIsRejectedNamingTheValueTheSettingAndTheReason(Setting<?> s, String text, String message) {
        InvalidRunConfigException e = assertThrows(InvalidRunConfigException.class,
                () -> RunConfig.builder().setText(s, text).build());
        assertEquals(1, e.errors().size(), e.getMessage());
        assertEquals(true, e.errors().get(0).startsWith(message), e.errors().get(0));
    }

    @Test
    void stepMultipliesByGammaEveryStepEpochs() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.STEP).set(RunConfigDef.EPOCHS, 30)
                .set(RunConfigDef.LR, 0.1).set(RunConfigDef.LR_GAMMA, 0.1).set(RunConfigDef.LR_STEP_EPOCHS, 10).build();
        var s = c.schedule(5);
        assertEquals(0.1, s.lr(49), 1e-15);
        assertEquals(0.01, s.lr(50), 1e-15);
        assertEquals(0.001, s.lr(100), 1e-15);
        assertEquals(10, c.stepEpochs());
    }

    @Test
    void stepWithoutAPeriodStepsEveryThirdOfTheEpochs() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.STEP).set(RunConfigDef.EPOCHS, 20).build();
        assertEquals(7, c.stepEpochs());                              // round(20 / 3)
        assertEquals(0.1 * 0.2, c.schedule(1).lr(7), 1e-15);           // lr-gamma's default 0.2
        assertEquals(1, RunConfig.defaultStepEpochs(1));
    }

    @Test
    void theChannelMultipleReachesTheSelection() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.CHANNEL_MULTIPLE, 8).build();
        assertEquals(new SelectionSettings(0.5, PruningLimit.reference(), SubnetworkSelector.REFERENCE_TOLERANCE, 8),
                c.selection());
        assertEquals(1, RunConfig.builder().build().selection().channelMultiple());
    }
}
