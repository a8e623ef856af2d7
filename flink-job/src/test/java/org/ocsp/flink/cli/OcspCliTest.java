package org.ocsp.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocsp.flink.job.JobSettingDef;
import org.ocsp.flink.run.InvalidRunSpecException;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.cli.RunConfigOptions;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;
import picocli.CommandLine;

class OcspCliTest {
    @Test
    void jobCommandNeedsOnlyTheBootstrapServers() {
        JobCommand c = new JobCommand();
        new CommandLine(c).parseArgs("--bootstrap-servers", "kafka:9092", "--checkpoint-dir", "file:///cp");
        assertEquals("ocsp.events", c.job().topics().events().name());
    }

    @Test
    void jobCommandPassesTheWaitingBatchMemoryToTheJob() {
        JobCommand c = new JobCommand();
        new CommandLine(c).parseArgs("--bootstrap-servers", "kafka:9092", "--waiting-batch-memory-mb", "-1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::job);
        assertTrue(e.getMessage().contains("waiting-batch-memory-mb"), e.getMessage());
    }

    @Test
    void jobCommandWithoutBootstrapServersFailsWithUsage() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new JobCommand());
        cl.setErr(new PrintWriter(err));
        assertNotEquals(0, cl.execute());
        assertTrue(err.toString().contains("--bootstrap-servers"), err.toString());
    }

    @Test
    void runSpecOptionsBuildAValidatedSpec() {
        RunCommand.Start start = new RunCommand.Start();
        new CommandLine(start).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r", "--target", "0.7",
                "--reg-start", "FIXED", "--sl-start", "5", "--hard-cap", "20");
        RunSpec spec = start.spec.toSpec();
        assertEquals(0.7, spec.getFlopsReductionTarget());
        assertEquals(RegularizationStartMode.FIXED, spec.getStability().getRegularizationStart());
        assertEquals(20, spec.getStability().getHardCapEpoch());
    }

    @Test
    void fixedStartWithoutSlStartLogsTheDeclaredDefaultAsModelOpsTrainUses() {
        RunCommand.Start start = new RunCommand.Start();
        new CommandLine(start).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r", "--reg-start", "FIXED");
        assertEquals(RunConfigDef.SL_START.defaultValue().orElseThrow(), start.spec.toSpec().getStability().getSlStart());
        assertEquals(null, runStart().spec.toSpec().getStability().getSlStart(), "AUTOMATIC logs no sl-start");
    }

    @Test
    void negatableFlagsDefaultToTrueAndTheirNegationTurnsThemOff() {
        JobCommand on = new JobCommand();
        new CommandLine(on).parseArgs("--bootstrap-servers", "k:1");
        assertTrue(on.createTopics);
        JobCommand off = new JobCommand();
        new CommandLine(off).parseArgs("--bootstrap-servers", "k:1", "--no-create-topics");
        assertEquals(false, off.createTopics);
        RunCommand.Start start = new RunCommand.Start();
        new CommandLine(start).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r", "--no-nesterov");
        assertEquals(false, start.spec.toSpec().getOptimizer().getNesterov());
    }

    private static RunCommand.Start runStart(String... args) {
        RunCommand.Start start = new RunCommand.Start();
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", "k:1", "--run-id", "r"));
        all.addAll(List.of(args));
        new CommandLine(start).parseArgs(all.toArray(new String[0]));
        return start;
    }

    @Test
    void runStartAndModelOpsTrainShareTheDeclaredDefaults() {
        CommandLine train = new CommandLine(new org.ocsp.modelops.cli.TrainCommand());
        train.parseArgs();
        RunConfigOptions trainOptions = RunConfigOptions.of(train.getCommandSpec());
        RunConfig offline = trainOptions.build(trainOptions.values());
        RunConfig streamed = runStart().spec.values().build();
        assertEquals(offline, streamed);
        assertEquals(RunConfig.builder().build(), streamed);
    }

    @Test
    void demoOffersEveryDeclaredSetting() {
        CommandLine demo = new CommandLine(new DemoCommand());
        for (Setting<?> s : RunConfigDef.ALL) {
            assertTrue(demo.getCommandSpec().findOption("--" + s.name()) != null, s.name());
        }
    }

    /**
     * Hashes of specs made by `run start` before the settings were declared once. A log of such a
     * run holds its spec without the execution and Jaccard averaging settings (schema v1): read
     * back, it keeps that hash.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "|9ca227d551f1adaf0775b40c51fcf2bb5c1f9b0b2f1de6ca881551aafaaa7799",
        "--target 0.7 --reg-start FIXED --sl-start 5 --hard-cap 20|a52e78d29b920a8740ed8ef79185ee81bdec73126018d5bdd56f6f4041742d24",
        "--schedule MULTI_STEP --epochs 17 --lr 0.05 --no-nesterov --momentum 0.8|6aed1b109e6a20e5cce9f923380e74056915ad8008765c0d7638ee2a98b4dbee",
        "--schedule LINEAR --saliency TAYLOR_FIRST_ORDER --seed 7 --batch-size 64 --dataset fmnist|caaffab286e5c02c3bde3ed935aebc43cf8239109de301dc71d374aa42c92e98",
        "--arch resnet56 --num-classes 10 --input-shape 3,32,32 --saliency BN_SCALE --tau 0.99 --monitor-start 3 "
            + "--plateau-eps 0.001 --lambda-start 0.2 --lambda-delta 0.1 --lambda-interval 2 --weight-decay 1e-4"
            + "|72ed26972d0733169a128e9963fc3f864df112671c7650f2a575116153d28fb7"})
    void configHashOfACommandLineIsUnchanged(String args, String hash) {
        String[] a = args == null ? new String[0] : args.split(" ");
        RunSpec now = runStart(a).spec.toSpec();
        RunSpec asLoggedBefore = RunSpec.newBuilder(now).setExecution(null).build();
        asLoggedBefore.getStability().setJaccardAveraging(null);
        assertEquals(hash, RunSpecs.configHash(asLoggedBefore));
        assertNotEquals(hash, RunSpecs.configHash(now), "the engine, conv algorithm and Jaccard averaging are hashed");
    }

    @Test
    void aBadValueFailsRunStartAsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RunCommand.Start());
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--bootstrap-servers", "k:1", "--run-id", "r", "--target", "0", "--tau", "x"));
        assertTrue(err.toString().contains("Invalid value 0.0 for configuration target: must be in (0.0, 1.0)"),
                err.toString());
        assertTrue(err.toString().contains("Invalid value 'x' for configuration tau: not a number"), err.toString());
    }

    @Test
    void aRunIdThatCouldNameAPathIsAUsageErrorOfEveryCommandThatTakesOne() {
        for (String bad : List.of("../x", "", "run-50/.", ".", "a b", "r".repeat(129))) {
            StringWriter err = new StringWriter();
            CommandLine start = new CommandLine(new RunCommand.Start());
            start.setErr(new PrintWriter(err));
            assertEquals(CommandLine.ExitCode.USAGE, start.execute("--bootstrap-servers", "k:1", "--run-id", bad), bad);
            assertTrue(err.toString().contains("Invalid run id"), err.toString());
            CommandLine stop = new CommandLine(new RunCommand.Stop());
            stop.setErr(new PrintWriter(new StringWriter()));
            assertEquals(CommandLine.ExitCode.USAGE, stop.execute("--bootstrap-servers", "k:1", "--run-id", bad), bad);
        }
    }

    @Test
    void theCommandConfigFileReachesTheKafkaClients(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("client.properties"),
                "security.protocol=NOT_A_PROTOCOL\n");
        StringWriter err = new StringWriter();
        CommandLine topics = new CommandLine(new TopicsCommand());
        topics.setErr(new PrintWriter(err));
        assertNotEquals(0, topics.execute("--bootstrap-servers", "127.0.0.1:1", "--command-config",
                config.toString()));
        assertTrue(err.toString().contains("security.protocol"), err.toString());
    }

    /** One preset: the demo and {@code run start --preset demo} (deploy/application-mode.sh) log the same run. */
    @Test
    void theDemoAndRunStartWithTheDemoPresetLogTheSameSpec() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--epochs", "4");
        RunCommand.Start start = new RunCommand.Start();
        new CommandLine(start).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r", "--preset", "demo",
                "--dataset", "fashion-mnist", "--epochs", "4");
        RunSpec fromDemo = demo.spec();
        RunSpec fromStart = start.runSpec();
        assertEquals(fromDemo.toString(), fromStart.toString());
        assertEquals(RunSpecs.configHash(fromDemo), RunSpecs.configHash(fromStart));
        RunConfig c = RunSpecs.config(fromStart);
        assertEquals(0.9, c.get(RunConfigDef.TAU));
        assertEquals(0.2, c.get(RunConfigDef.LAMBDA_START));
        assertEquals(2, c.get(RunConfigDef.HARD_CAP), "60 % of the 4 epochs given");
    }

    @Test
    void aSettingGivenWithAPresetWinsAndAnUnknownPresetIsAUsageError() {
        RunCommand.Start start = new RunCommand.Start();
        new CommandLine(start).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r", "--preset", "DEMO", "--tau", "0.95");
        RunConfig c = RunSpecs.config(start.runSpec());
        assertEquals(0.95, c.get(RunConfigDef.TAU));
        assertEquals(10, c.get(RunConfigDef.EPOCHS));
        RunCommand.Start plain = new RunCommand.Start();
        new CommandLine(plain).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r");
        assertEquals(RunConfigDef.TAU.defaultValue().orElseThrow(), RunSpecs.config(plain.runSpec()).get(RunConfigDef.TAU),
                "no preset: the declared defaults");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RunCommand.Start());
        cl.setErr(new PrintWriter(err));
        assertEquals(CommandLine.ExitCode.USAGE, cl.execute("--bootstrap-servers", "k:1", "--run-id", "r", "--preset", "quick"));
        assertTrue(err.toString().contains("unknown preset 'quick' (known: demo)"), err.toString());
    }

    /** One declaration: every command that runs the job takes the interval from it, with its own default and the same doc. */
    @Test
    void theJobSettingsAreDeclaredOnceAndEachCommandOnlyChoosesItsDefault() {
        CommandLine job = new CommandLine(new JobCommand());
        for (org.ocsp.modelops.setting.Setting<?> s : org.ocsp.flink.job.JobSettingDef.ALL) {
            CommandLine.Model.OptionSpec o = job.getCommandSpec().findOption("--" + s.name());
            assertTrue(o != null && o.userObject() == s, "ocsp job offers --" + s.name());
            assertEquals(s.type(), o.type(), s.name());
        }
        CommandLine ocsp = new CommandLine(OcspCli.class);
        Setting<Long> interval = org.ocsp.flink.job.JobSettingDef.CHECKPOINT_INTERVAL_MS;
        List<String> defaults = new ArrayList<>();
        for (CommandLine c : List.of(job, ocsp.getSubcommands().get("demo"),
                ocsp.getSubcommands().get("bench").getSubcommands().get("streaming"))) {
            CommandLine.Model.OptionSpec o = c.getCommandSpec().findOption("--" + interval.name());
            assertEquals(interval, o.userObject(), c.getCommandName());
            assertTrue(o.description()[0].startsWith(interval.doc()), c.getCommandName() + ": " + o.description()[0]);
            defaults.add(o.defaultValue());
        }
        assertEquals(List.of("5000", "1000", "10000"), defaults);
    }

    @Test
    void aJobSettingOutOfRangeIsRefusedWithItsDeclaredRule() {
        JobCommand c = new JobCommand();
        new CommandLine(c).parseArgs("--bootstrap-servers", "kafka:9092", "--checkpoint-interval-ms", "50", "--parallelism", "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::job);
        assertTrue(e.getMessage().contains("Invalid value 50 for configuration checkpoint-interval-ms: must be >= 100"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value 0 for configuration parallelism: must be >= 1"), e.getMessage());
    }
}
