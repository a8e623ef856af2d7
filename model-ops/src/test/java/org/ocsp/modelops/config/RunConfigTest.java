package org.ocsp.modelops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.setting.Validator;
import org.ocsp.modelops.stability.RegularizationStartMode;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.train.SgdConfig;

class RunConfigTest {
    @Test
    void emptyBuilderGivesEveryDeclaredDefault() {
        RunConfig c = RunConfig.builder().build();
        for (Setting<?> s : RunConfigDef.ALL) {
            assertEquals(s.defaultValue(), c.find(s).map(v -> (Object) v), s.name());
        }
        assertEquals(StabilityConfig.defaults(), c.stability());
        assertEquals(SgdConfig.cifarDefault(), c.sgd());
        assertEquals(Optional.empty(), c.find(RunConfigDef.HARD_CAP));
    }

    @Test
    void everyDefaultSurvivesItsTextForm() {
        for (Setting<?> s : RunConfigDef.ALL) {
            s.defaultValue().ifPresent(v -> assertEquals(v, reparse(s, v), s.name()));
        }
    }

    private static <T> T reparse(Setting<T> s, Object v) {
        return s.parse(s.format(s.type().cast(v)));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(RunConfigDef.EPOCHS, "0", "Invalid value 0 for configuration epochs: must be >= 1"),
                Arguments.of(RunConfigDef.TARGET, "1.0", "Invalid value 1.0 for configuration target: must be in (0.0, 1.0)"),
                Arguments.of(RunConfigDef.LR, "abc", "Invalid value 'abc' for configuration lr: not a number"),
                Arguments.of(RunConfigDef.BATCH_SIZE, "1.5", "Invalid value '1.5' for configuration batch-size: not a whole number"),
                Arguments.of(RunConfigDef.ARCH, "nope", "Invalid value nope for configuration arch: known are ["),
                Arguments.of(RunConfigDef.INPUT_SHAPE, "1,28", "Invalid value [1, 28] for configuration input-shape: must be three"),
                Arguments.of(RunConfigDef.TAU, "0", "Invalid value 0.0 for configuration tau: must be in (0.0, 1.0]"),
                Arguments.of(RunConfigDef.MOMENTUM, "1", "Invalid value 1.0 for configuration momentum: must be in [0.0, 1.0)"),
                Arguments.of(RunConfigDef.SALIENCY, "L1", "Invalid value 'L1' for configuration saliency: must be one of "
                        + "[L2, TAYLOR, BN_SCALE] (also accepted: L2_MAGNITUDE, TAYLOR_FIRST_ORDER)"),
                Arguments.of(RunConfigDef.NESTEROV, "yes", "Invalid value 'yes' for configuration nesterov: must be true or false"),
                Arguments.of(RunConfigDef.LAMBDA_DELTA, "NaN", "Invalid value NaN for configuration lambda-delta: must be finite and >= 0"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueIsRejectedNamingTheValueTheSettingAndTheReason(Setting<?> s, String text, String message) {
        InvalidRunConfigException e = assertThrows(InvalidRunConfigException.class,
                () -> RunConfig.builder().setText(s, text).build());
        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).startsWith(message), e.errors().get(0));
    }

    @Test
    void everyBadValueIsReportedAtOnce() {
        InvalidRunConfigException e = assertThrows(InvalidRunConfigException.class, () -> RunConfig.builder()
                .setText(RunConfigDef.LR, "x").set(RunConfigDef.EPOCHS, 0).set(RunConfigDef.TARGET, 2.0).build());
        assertEquals(3, e.errors().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid run configuration (3 errors)"), e.getMessage());
    }

    @Test
    void rulesAcrossSettingsNameTheSettingsByFlag() {
        InvalidRunConfigException e = assertThrows(InvalidRunConfigException.class, () -> RunConfig.builder()
                .set(RunConfigDef.HARD_CAP, 1).set(RunConfigDef.MOMENTUM, 0.0).build());
        assertEquals(List.of("Invalid value 1 for configuration hard-cap: must be >= monitor-start (2) because pruning "
                        + "at the hard cap needs that epoch's sub-network",
                "Invalid value true for configuration nesterov: needs momentum > 0"), e.errors());
    }

    @Test
    void avroSpellingsOfTheSaliencyAreAccepted() {
        assertEquals(SaliencyKind.TAYLOR, RunConfigDef.SALIENCY.parse("TAYLOR_FIRST_ORDER"));
        assertEquals(SaliencyKind.L2, RunConfigDef.SALIENCY.parse("L2_MAGNITUDE"));
    }

    @Test
    void settingsBuildTheModelOpsObjects() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.REG_START, RegularizationStartMode.FIXED)
                .set(RunConfigDef.SL_START, 4).set(RunConfigDef.HARD_CAP, 9).set(RunConfigDef.EPOCHS, 10)
                .set(RunConfigDef.SCHEDULE, ScheduleKind.LINEAR).set(RunConfigDef.LR, 0.2).build();
        assertEquals(StabilityConfig.builder().optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(4)
                .optHardCap(9).build(), c.stability());
        assertEquals(0.2, c.schedule(5).lr(0), 1e-12);
        assertEquals(0.1, c.schedule(5).lr(25), 1e-12);
        assertEquals(128, c.trainingSettings(5).batchSize());
    }

    @Test
    void aRunConfigAndALibraryUserGetTheSameStabilityDefaults() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.REG_START, RegularizationStartMode.FIXED).build();
        assertEquals(30, c.get(RunConfigDef.SL_START));
        assertEquals(StabilityConfig.builder().optRegularizationStart(RegularizationStartMode.FIXED).build(),
                c.stability());
        assertEquals(StabilityConfig.defaults(), RunConfig.builder().build().stability());
    }

    @Test
    void anUndeclaredSettingIsRefused() {
        Setting<Integer> stray = Setting.ofInt("stray").setDoc("not declared").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunConfig.builder().set(stray, 1).build());
        assertTrue(e.getMessage().contains("stray"), e.getMessage());
    }

    @Test
    void aDeclarationWithAnInvalidDefaultFailsWhenDeclared() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Setting.ofInt("epochs").optDefault(0).optValidator(Validator.atLeast(1)).setDoc("d").build());
        assertTrue(e.getMessage().contains("Invalid value 0 for configuration epochs"), e.getMessage());
    }

    @Test
    void markdownListsEverySettingWithItsDefault() {
        String md = RunConfigDef.markdown();
        for (Setting<?> s : RunConfigDef.ALL) {
            assertTrue(md.contains("`--" + s.name() + "`"), s.name());
        }
        assertTrue(md.contains("| `--hard-cap` | none |"), md);
        assertTrue(md.contains("| `--lr` | 0.1 |"), md);
    }

    @Test
    void multiStepTakesTheGivenMilestonesAndGamma() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.MULTI_STEP).set(RunConfigDef.EPOCHS, 10)
                .set(RunConfigDef.LR, 1.0).set(RunConfigDef.LR_GAMMA, 0.5).set(RunConfigDef.LR_MILESTONES, List.of(2, 2, 7))
                .build();
        double[] expected = {1, 1, 0.25, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125};
        for (int epoch = 0; epoch < 10; epoch++) {
            for (int b = 0; b < 3; b++) {
                assertEquals(expected[epoch], c.schedule(3).lr(epoch * 3L + b), 1e-12, "epoch " + epoch + " batch " + b);
            }
        }
    }

    @Test
    void multiStepWithoutMilestonesUsesTheReferenceFractionsOfTheEpochs() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.MULTI_STEP).set(RunConfigDef.EPOCHS, 20)
                .build();
        assertEquals(List.of(6, 12, 16, 18), java.util.Arrays.stream(c.milestoneEpochs()).boxed().toList());
        assertEquals(0.1 * 0.2, c.schedule(4).lr(6 * 4), 1e-12);
        assertEquals(0.1, c.schedule(4).lr(6 * 4 - 1), 1e-12);
    }

    @Test
    void milestonesMustBeAscendingEpochs() {
        InvalidRunConfigException e = assertThrows(InvalidRunConfigException.class, () -> RunConfig.builder()
                .set(RunConfigDef.LR_MILESTONES, List.of(5, 3)).build());
        assertEquals(List.of("Invalid value [5, 3] for configuration lr-milestones: must be epochs >= 0 in ascending order"),
                e.errors());
    }

    @Test
    void theSelectionSettingsComeFromTheDeclaredSettings() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.TARGET, 0.3).set(RunConfigDef.MAX_PRUNE_FRACTION, 0.5)
                .set(RunConfigDef.PRUNE_LIMIT_RATE, 0.25).set(RunConfigDef.FLOPS_TOLERANCE, 1e-2)
                .set(RunConfigDef.COST_AWARE, false).build();
        assertEquals(new org.ocsp.modelops.selection.SelectionSettings(0.3,
                new org.ocsp.modelops.selection.PruningLimit(0.5, 0.25), 1e-2), c.selection());
        assertEquals(false, c.trainingSettings(4).costAware());
        assertEquals(org.ocsp.modelops.selection.SelectionSettings.reference(0.5), RunConfig.builder().build().selection());
        assertEquals(true, RunConfig.builder().build().trainingSettings(4).costAware());
    }

    @Test
    void theEngineSettingChoosesTheNetworksEngine() {
        RunConfig nd4j = RunConfig.builder().set(RunConfigDef.ENGINE, org.ocsp.modelops.engine.EngineChoice.ND4J)
                .set(RunConfigDef.CONV_ALGORITHM, org.ocsp.modelops.engine.ConvAlgorithm.DIRECT)
                .set(RunConfigDef.BATCH_SIZE, 4).build();
        assertEquals(new org.ocsp.modelops.engine.Execution(org.ocsp.modelops.engine.EngineChoice.ND4J,
                org.ocsp.modelops.engine.ConvAlgorithm.DIRECT), nd4j.trainingSettings(2).execution());
        try (var session = org.ocsp.modelops.train.TrainingSession.create(nd4j.graph(), nd4j.trainingSettings(2))) {
            assertEquals(org.ocsp.modelops.engine.Engine.ND4J, session.engine());
        }
        RunConfig auto = RunConfig.builder().set(RunConfigDef.BATCH_SIZE, 4).build();
        try (var session = org.ocsp.modelops.train.TrainingSession.create(auto.graph(), auto.trainingSettings(2))) {
            assertEquals(org.ocsp.modelops.engine.EngineChoice.AUTO.resolve(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                    session.engine());
        }
    }

    @Test
    void cosineDecaysToTheFinalRateOverTheHorizonAndCanHoldPerEpoch() {
        RunConfig c = RunConfig.builder().set(RunConfigDef.EPOCHS, 10).set(RunConfigDef.LR, 1.0)
                .set(RunConfigDef.LR_FINAL, 0.1).set(RunConfigDef.LR_HORIZON, 4).build();
        assertEquals(1.0, c.schedule(5).lr(0), 1e-12);
        assertEquals(0.55, c.schedule(5).lr(10), 1e-12, "half way through the 4-epoch horizon");
        assertEquals(0.1, c.schedule(5).lr(20), 1e-12);
        assertEquals(0.1, c.schedule(5).lr(49), 1e-12, "after the horizon the final rate holds");
        RunConfig perEpoch = c.toBuilder().set(RunConfigDef.LR_PER_ITERATION, false).build();
        for (long it = 5; it < 10; it++) {
            assertEquals(c.schedule(5).lr(5), perEpoch.schedule(5).lr(it), 1e-12, "iteration " + it);
        }
        assertTrue(c.schedule(5).lr(9) < perEpoch.schedule(5).lr(9));
    }
}
