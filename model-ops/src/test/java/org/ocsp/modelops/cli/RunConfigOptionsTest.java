package org.ocsp.modelops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.bench.BenchCommand;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.setting.Setting;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

class RunConfigOptionsTest {
    private static RunConfig parsed(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.parseArgs(args);
        RunConfigOptions o = RunConfigOptions.of(cl.getCommandSpec());
        return o.build(o.values());
    }

    @Test
    void trainWithoutOptionsRunsTheDeclaredDefaults() {
        assertEquals(RunConfig.builder().build(), parsed(new TrainCommand()));
    }

    @Test
    void trainOffersEveryDeclaredSettingButTheDataDerivedOnes() {
        CommandLine cl = new CommandLine(new TrainCommand());
        for (Setting<?> s : RunConfigDef.ALL) {
            boolean derivedFromData = s == RunConfigDef.NUM_CLASSES || s == RunConfigDef.INPUT_SHAPE;
            assertEquals(!derivedFromData, cl.getCommandSpec().findOption("--" + s.name()) != null, s.name());
        }
    }

    @Test
    void benchSharesBatchSizeAndSeedWithTrainAndKeepsItsOwnRate() {
        RunConfig bench = parsed(new BenchCommand());
        RunConfig train = parsed(new TrainCommand());
        assertEquals(train.get(RunConfigDef.BATCH_SIZE), bench.get(RunConfigDef.BATCH_SIZE));
        assertEquals(train.get(RunConfigDef.SEED), bench.get(RunConfigDef.SEED));
        assertEquals(0.05, bench.get(RunConfigDef.LR));
        assertEquals(0.1, train.get(RunConfigDef.LR));
    }

    @Test
    void helpShowsTheDeclaredDocAndDefault() {
        String train = new CommandLine(new TrainCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(train.contains(RunConfigDef.TAU.doc() + " (default: 0.999)."), train);
        assertTrue(train.contains("Channel saliency: L2, TAYLOR, BN_SCALE (default: L2)."), train);
        assertTrue(train.contains("30/60/80/90% of the epochs, rounded) (default: none)."), train);
        String bench = new CommandLine(new BenchCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(bench.contains(RunConfigDef.LR.doc() + " (default: 0.05)."), bench);
        assertFalse(bench.contains("--tau"), bench);
    }

    @Test
    void givenValuesWinAndNegationTurnsADefaultTrueFlagOff() {
        RunConfig c = parsed(new TrainCommand(), "--lr", "0.3", "--saliency", "TAYLOR_FIRST_ORDER", "--no-nesterov",
                "--momentum", "0", "--hard-cap", "12");
        assertEquals(0.3, c.get(RunConfigDef.LR));
        assertEquals(false, c.get(RunConfigDef.NESTEROV));
        assertEquals(12, c.get(RunConfigDef.HARD_CAP));
        assertEquals(true, parsed(new TrainCommand(), "--nesterov").get(RunConfigDef.NESTEROV));
    }

    @Test
    void badValuesFailAsAUsageErrorListingEveryOne() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> parsed(new TrainCommand(), "--lr", "fast", "--epochs", "0"));
        assertTrue(e.getMessage().contains("Invalid value 'fast' for configuration lr: not a number"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value 0 for configuration epochs: must be >= 1"), e.getMessage());
    }

    @Test
    void aBadValueStopsTrainBeforeItLoadsData() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--data-dir", "/nonexistent", "--target", "1.5"));
        assertTrue(err.toString().contains("Invalid value 1.5 for configuration target: must be in (0.0, 1.0)"), err.toString());
    }

    /** {@code demo.sh --offline}: model-ops train with the demo preset takes the preset's values, a given option wins. */
    @Test
    void trainWithTheDemoPresetTakesItsValuesUnderTheGivenOnes() {
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs("--preset", "demo", "--epochs", "4", "--tau", "0.95");
        RunConfig c = train.config();
        RunConfig expected = org.ocsp.modelops.config.RunPreset.DEMO.applyTo(
                RunConfig.builder().set(RunConfigDef.EPOCHS, 4).set(RunConfigDef.TAU, 0.95),
                s -> s == RunConfigDef.EPOCHS || s == RunConfigDef.TAU).build();
        assertEquals(expected, c);
        assertEquals(2, c.get(RunConfigDef.HARD_CAP));
        assertEquals(0.2, c.get(RunConfigDef.LAMBDA_START));
    }
}
