package org.ocsp.modelops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.stability.RegularizationStartMode;

class RunPresetTest {
    @Test
    void theDemoPresetFillsWhatIsNotGiven() {
        RunConfig c = RunPreset.DEMO.applyTo(RunConfig.builder(), s -> false).build();
        assertEquals(10, c.get(RunConfigDef.EPOCHS));
        assertEquals(RegularizationStartMode.FIXED, c.get(RunConfigDef.REG_START));
        assertEquals(1, c.get(RunConfigDef.SL_START));
        assertEquals(0.9, c.get(RunConfigDef.TAU));
        assertEquals(6, c.get(RunConfigDef.HARD_CAP), "60 % of 10 epochs");
    }

    @Test
    void aGivenSettingWinsAndTheDerivedHardCapFollowsIt() {
        RunConfig.Builder b = RunConfig.builder().set(RunConfigDef.EPOCHS, 20).set(RunConfigDef.TAU, 0.99);
        RunConfig c = RunPreset.DEMO.applyTo(b, Set.of(RunConfigDef.EPOCHS, RunConfigDef.TAU)::contains).build();
        assertEquals(20, c.get(RunConfigDef.EPOCHS));
        assertEquals(0.99, c.get(RunConfigDef.TAU));
        assertEquals(12, c.get(RunConfigDef.HARD_CAP));
    }

    @Test
    void anAutomaticStartLeavesTheFixedStartEpochAtItsDefault() {
        RunConfig.Builder b = RunConfig.builder().set(RunConfigDef.REG_START, RegularizationStartMode.AUTOMATIC);
        RunConfig c = RunPreset.DEMO.applyTo(b, s -> s == RunConfigDef.REG_START).build();
        assertEquals(RunConfigDef.SL_START.defaultValue(), c.find(RunConfigDef.SL_START));
    }
}
