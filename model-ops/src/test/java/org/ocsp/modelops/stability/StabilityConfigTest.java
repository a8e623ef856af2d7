package org.ocsp.modelops.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StabilityConfigTest {

    @Test
    void defaultsAreTheReferenceValues() {
        StabilityConfig c = StabilityConfig.defaults();
        assertEquals(2, c.monitorStart());
        assertEquals(2, c.lag());
        assertEquals(3, c.window());
        assertEquals(0.999, c.tau());
        assertEquals(RegularizationStartMode.AUTOMATIC, c.regularizationStart());
        assertEquals(30, c.slStart());
        assertEquals(1e-4, c.plateauEps());
        assertEquals(1e-4, c.lambdaStart());
        assertEquals(1e-4, c.lambdaDelta());
        assertEquals(1, c.lambdaInterval());
        assertEquals(OptionalInt.empty(), c.hardCap());
        assertEquals(JaccardAveraging.UNWEIGHTED, c.jaccardAveraging());
    }

    @Test
    void builderSetsEveryValue() {
        StabilityConfig c = StabilityConfig.builder().optMonitorStart(5).optLag(3).optWindow(4).optTau(0.98)
                .optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(15).optPlateauEps(1e-3)
                .optLambdaStart(2e-4).optLambdaDelta(1e-3).optLambdaInterval(2).optHardCap(50)
                .optJaccardAveraging(JaccardAveraging.WEIGHTED).build();
        assertEquals(5, c.monitorStart());
        assertEquals(3, c.lag());
        assertEquals(4, c.window());
        assertEquals(0.98, c.tau());
        assertEquals(RegularizationStartMode.FIXED, c.regularizationStart());
        assertEquals(15, c.slStart());
        assertEquals(1e-3, c.plateauEps());
        assertEquals(2e-4, c.lambdaStart());
        assertEquals(1e-3, c.lambdaDelta());
        assertEquals(2, c.lambdaInterval());
        assertEquals(OptionalInt.of(50), c.hardCap());
        assertEquals(JaccardAveraging.WEIGHTED, c.jaccardAveraging());
        assertEquals(c, StabilityConfig.builder().optMonitorStart(5).optLag(3).optWindow(4).optTau(0.98)
                .optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(15).optPlateauEps(1e-3)
                .optLambdaStart(2e-4).optLambdaDelta(1e-3).optLambdaInterval(2).optHardCap(50)
                .optJaccardAveraging(JaccardAveraging.WEIGHTED).build());
        assertEquals(OptionalInt.empty(), StabilityConfig.builder().optHardCap(50).noHardCap().build().hardCap());
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                bad(b -> b.optMonitorStart(-1), "Invalid value -1 for configuration monitor-start: must be >= 0"),
                bad(b -> b.optLag(0),
                        "Invalid value 0 for configuration lag: must be >= 1 (s_t compares M_t with an earlier mask)"),
                bad(b -> b.optWindow(0), "Invalid value 0 for configuration window: must be >= 1"),
                bad(b -> b.optTau(0.0),
                        "Invalid value 0.0 for configuration tau: must be in (0.0, 1.0] because J_avg lies in [0, 1]"),
                bad(b -> b.optTau(1.5),
                        "Invalid value 1.5 for configuration tau: must be in (0.0, 1.0] because J_avg lies in [0, 1]"),
                bad(b -> b.optTau(Double.NaN),
                        "Invalid value NaN for configuration tau: must be in (0.0, 1.0] because J_avg lies in [0, 1]"),
                bad(b -> b.optRegularizationStart(null),
                        "Missing configuration reg-start"),
                bad(b -> b.optSlStart(-3), "Invalid value -3 for configuration sl-start: must be >= 0"),
                bad(b -> b.optPlateauEps(-1e-4),
                        "Invalid value -1.0E-4 for configuration plateau-eps: must be finite and >= 0"),
                bad(b -> b.optLambdaStart(Double.POSITIVE_INFINITY),
                        "Invalid value Infinity for configuration lambda-start: must be finite and >= 0"),
                bad(b -> b.optLambdaDelta(-1.0),
                        "Invalid value -1.0 for configuration lambda-delta: must be finite and >= 0"),
                bad(b -> b.optLambdaInterval(0), "Invalid value 0 for configuration lambda-interval: must be >= 1"),
                bad(b -> b.optJaccardAveraging(null),
                        "Missing configuration jaccard-averaging"),
                bad(b -> b.optMonitorStart(5).optHardCap(4),
                        "Invalid value 4 for configuration hard-cap: must be >= monitor-start (5) because pruning at "
                                + "the hard cap needs that epoch's sub-network"),
                bad(b -> b.optMonitorStart(5).optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(2),
                        "Invalid value 2 for configuration sl-start: with reg-start=FIXED the penalty "
                                + "starts at epoch sl-start + 2 = 4, before monitor-start (5); the penalty needs a "
                                + "sub-network mask, so use sl-start >= 3"));
    }

    private static Arguments bad(UnaryOperator<StabilityConfig.Builder> setting, String message) {
        return Arguments.of(setting, message);
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void buildRejectsInvalidSetting(UnaryOperator<StabilityConfig.Builder> setting, String message) {
        InvalidStabilityConfigException e = assertThrows(InvalidStabilityConfigException.class,
                () -> setting.apply(StabilityConfig.builder()).build());
        assertEquals(List.of(message), e.errors());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void buildReportsAllErrorsTogether() {
        InvalidStabilityConfigException e = assertThrows(InvalidStabilityConfigException.class,
                () -> StabilityConfig.builder().optLag(0).optTau(2.0).optLambdaInterval(-1).optHardCap(1).build());
        assertEquals(List.of(
                "Invalid value 0 for configuration lag: must be >= 1 (s_t compares M_t with an earlier mask)",
                "Invalid value 2.0 for configuration tau: must be in (0.0, 1.0] because J_avg lies in [0, 1]",
                "Invalid value -1 for configuration lambda-interval: must be >= 1",
                "Invalid value 1 for configuration hard-cap: must be >= monitor-start (2) because pruning at the "
                        + "hard cap needs that epoch's sub-network"), e.errors());
        assertTrue(e.getMessage().startsWith("Invalid stability configuration (4 errors):"), e.getMessage());
    }

    @Test
    void automaticModeIgnoresSlStartBelowMonitorStart() {
        // slStart only matters in FIXED mode, so it is not cross-checked in AUTOMATIC mode.
        StabilityConfig c = StabilityConfig.builder().optMonitorStart(10).optSlStart(0).build();
        assertEquals(0, c.slStart());
    }
}
