package org.ocsp.flink.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ocsp.modelops.stability.StabilityRules;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.modelops.config.InvalidRunConfigException;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.config.ScheduleKind;
import org.ocsp.modelops.engine.Execution;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.ReleasedSchemas;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

class RunSpecsTest {
    private static RunSpec spec() {
        return RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 30).build();
    }

    @Test
    void configHashIsTheSha256OfTheCanonicalBytesAndStable() {
        String h = RunSpecs.configHash(spec());
        assertEquals(64, h.length());
        assertEquals(h, RunSpecs.configHash(spec()));
        RunSpec other = spec();
        other.setFlopsReductionTarget(0.3);
        assertNotEquals(h, RunSpecs.configHash(other));
    }

    @Test
    void runStartedIsSequenceZeroWithTheConfigHash() {
        RunStarted e = RunSpecs.runStarted("r1", spec());
        assertEquals(0, e.getHeader().getSequence());
        assertEquals(RunSpecs.configHash(spec()), e.getHeader().getConfigHash());
        assertEquals(RunSpecs.eventId("r1", 0, e.getHeader().getConfigHash()), e.getHeader().getEventId());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        RunSpec bad = spec();
        bad.setArchitecture("nope");
        bad.setFlopsReductionTarget(1.5);
        bad.getStability().setRegularizationStart(RegularizationStartMode.FIXED);
        InvalidRunSpecException e = assertThrows(InvalidRunSpecException.class, () -> RunSpecs.validate(bad));
        assertTrue(e.problems().size() >= 3, e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value nope for configuration arch: known are"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value 1.5 for configuration target"), e.getMessage());
        assertTrue(e.getMessage().contains("stability.slStart"), e.getMessage());
    }

    @Test
    void perEpochScheduleHoldsTheRateWithinAnEpoch() {
        RunSpec s = spec();
        s.getLrSchedule().setPerIteration(false);
        var schedule = RunSpecs.schedule(s, 10);
        assertEquals(schedule.lr(10), schedule.lr(19));
        assertNotEquals(schedule.lr(9), schedule.lr(10));
    }

    static Stream<RunConfig> configs() {
        return Stream.of(
                RunConfig.builder().build(),
                RunConfig.builder().set(RunConfigDef.REG_START, org.ocsp.modelops.stability.RegularizationStartMode.FIXED)
                        .set(RunConfigDef.SL_START, 3).set(RunConfigDef.HARD_CAP, 8).set(RunConfigDef.TARGET, 0.3).build(),
                RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.MULTI_STEP).set(RunConfigDef.EPOCHS, 17)
                        .set(RunConfigDef.SALIENCY, SaliencyKind.TAYLOR).set(RunConfigDef.NESTEROV, false)
                        .set(RunConfigDef.LAG, 3).set(RunConfigDef.WINDOW, 4).set(RunConfigDef.SEED, 7L).build(),
                RunConfig.builder().set(RunConfigDef.ARCH, "resnet56").set(RunConfigDef.INPUT_SHAPE, List.of(3, 32, 32))
                        .set(RunConfigDef.SCHEDULE, ScheduleKind.LINEAR).set(RunConfigDef.SALIENCY, SaliencyKind.BN_SCALE)
                        .set(RunConfigDef.BATCH_SIZE, 64).set(RunConfigDef.LAMBDA_INTERVAL, 2).build(),
                RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.MULTI_STEP).set(RunConfigDef.EPOCHS, 12)
                        .set(RunConfigDef.LR_GAMMA, 0.5).set(RunConfigDef.LR_MILESTONES, List.of(3, 3, 9))
                        .set(RunConfigDef.COST_AWARE, false).set(RunConfigDef.MAX_PRUNE_FRACTION, 0.5)
                        .set(RunConfigDef.PRUNE_LIMIT_RATE, 0.3).set(RunConfigDef.FLOPS_TOLERANCE, 0.01)
                        .set(RunConfigDef.ENGINE, org.ocsp.modelops.engine.EngineChoice.ND4J)
                        .set(RunConfigDef.CONV_ALGORITHM, org.ocsp.modelops.engine.ConvAlgorithm.DIRECT)
                        .set(RunConfigDef.JACCARD_AVERAGING, org.ocsp.modelops.stability.JaccardAveraging.WEIGHTED).build(),
                RunConfig.builder().set(RunConfigDef.EPOCHS, 8).set(RunConfigDef.LR_FINAL, 0.01)
                        .set(RunConfigDef.LR_HORIZON, 12).set(RunConfigDef.LR_PER_ITERATION, false).build(),
                RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.LINEAR).set(RunConfigDef.EPOCHS, 20)
                        .set(RunConfigDef.LR_FINAL, 0.002).set(RunConfigDef.LR_HORIZON, 5).build(),
                RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.STEP).set(RunConfigDef.EPOCHS, 30)
                        .set(RunConfigDef.LR_STEP_EPOCHS, 7).set(RunConfigDef.LR_GAMMA, 0.2)
                        .set(RunConfigDef.CHANNEL_MULTIPLE, 8).build(),
                RunConfig.builder().set(RunConfigDef.SCHEDULE, ScheduleKind.STEP).set(RunConfigDef.EPOCHS, 12).build(),
                RunConfig.builder().set(RunConfigDef.STABILITY_RULES, StabilityRules.ADAPTIVE)
                        .set(RunConfigDef.ADAPTIVE_START_CHURN, 0.3).set(RunConfigDef.ADAPTIVE_STOP_CHURN, 0.01)
                        .set(RunConfigDef.ADAPTIVE_NEGLIGIBLE_RATIO, 0.02).set(RunConfigDef.ADAPTIVE_PATH_SHARE, 0.4)
                        .set(RunConfigDef.ADAPTIVE_LAMBDA_START, 0.02).set(RunConfigDef.ADAPTIVE_GAIN, 1.5)
                        .set(RunConfigDef.ADAPTIVE_MAX_RISE, 3.0).build(),
                RunConfig.builder().set(RunConfigDef.STABILITY_RULES, StabilityRules.ADAPTIVE).build());
    }

    @Test
    void aSpecWithoutTheIssue18SettingsKeepsTheHashOfSchemaV3() throws Exception {
        RunSpec reference = spec();
        assertEquals(1, reference.getSelection().getChannelMultiple());
        assertNull(reference.getStability().getAdaptive());
        Schema v3Spec = ReleasedSchemas.fromClasspath().versions(RecordType.RUN_STARTED).get(2).schema()
                .getField("spec").schema();
        assertNull(v3Spec.getField("selection").schema().getField("channelMultiple"), "v3 predates channelMultiple");
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        var enc = EncoderFactory.get().binaryEncoder(current, null);
        new SpecificDatumWriter<RunSpec>(RunSpec.class).write(reference, enc);
        enc.flush();
        GenericRecord asV3 = new GenericDatumReader<GenericRecord>(RunSpec.getClassSchema(), v3Spec)
                .read(null, DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
        ByteArrayOutputStream v3Bytes = new ByteArrayOutputStream();
        var v3Enc = EncoderFactory.get().binaryEncoder(v3Bytes, null);
        new GenericDatumWriter<GenericRecord>(v3Spec).write(asV3, v3Enc);
        v3Enc.flush();
        String v3Hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v3Bytes.toByteArray()));
        assertEquals(v3Hash, RunSpecs.configHash(reference));

        RunSpec multiple = spec();
        multiple.getSelection().setChannelMultiple(8);
        RunSpec step = spec();
        step.getLrSchedule().setKind(org.ocsp.schemas.avro.event.LrScheduleKind.STEP);
        step.getLrSchedule().setParams(org.ocsp.schemas.avro.event.StepSchedule.newBuilder().setStepEpochs(3)
                .setGamma(0.1).build());
        for (RunSpec newer : List.of(multiple, step)) {
            assertNotEquals(v3Hash, RunSpecs.configHash(newer), "a v4 setting is hashed with the v4 schema");
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void aDeclaredConfigSurvivesTheLoggedSpec(RunConfig config) {
        RunSpec spec = RunSpecs.toSpec(config, "fashion-mnist");
        assertEquals(config, RunSpecs.config(spec));
        assertEquals(config.stability(), RunSpecs.stability(spec));
        assertEquals(config.get(RunConfigDef.SALIENCY), RunSpecs.saliency(spec));
        assertEquals(config.sgd(), RunSpecs.settings(spec, 10).sgd());
        assertEquals(config.graph().toString(), RunSpecs.graph(spec).toString());
        assertEquals(config.selection(), RunSpecs.selection(spec));
        assertEquals(config.trainingSettings(10).costAware(), RunSpecs.settings(spec, 10).costAware());
        assertEquals(config.execution(), RunSpecs.settings(spec, 10).execution());
        for (long it : new long[] {0, 7, 55, 120, 169}) {
            assertEquals(config.schedule(10).lr(it), RunSpecs.schedule(spec, 10).lr(it), 1e-12, "iteration " + it);
        }
    }

    /** Epochs x TRAIN batches per epoch where rounding 30/60/80/90 % of epochs and of iterations disagree. */
    static Stream<int[]> awkwardShapes() {
        return Stream.of(new int[] {17, 10}, new int[] {7, 16}, new int[] {1, 5}, new int[] {3, 1}, new int[] {11, 3},
                new int[] {30, 7}, new int[] {2, 129});
    }

    @ParameterizedTest
    @MethodSource("awkwardShapes")
    void theStreamedRunAndModelOpsTrainHaveTheSameRateAtEveryIteration(int[] shape) {
        int epochs = shape[0];
        int batches = shape[1];
        for (ScheduleKind kind : ScheduleKind.values()) {
            RunConfig config = RunConfig.builder().set(RunConfigDef.SCHEDULE, kind).set(RunConfigDef.EPOCHS, epochs).build();
            var offline = config.schedule(batches);
            var streamed = RunSpecs.schedule(RunSpecs.toSpec(config, null), batches);
            for (long it = 0; it <= (long) epochs * batches + batches; it++) {
                assertEquals(offline.lr(it), streamed.lr(it), 0, kind + ", " + epochs + " epochs of " + batches
                        + " batches, iteration " + it);
            }
        }
    }

    @Test
    void theReferenceSpecIsTheDeclaredDefaults() {
        assertEquals(RunSpecs.toSpec(RunConfig.builder().build(), null), spec());
    }

    @Test
    void anUnboundedSpecHasNoModelOpsConfig() {
        RunSpec unbounded = spec();
        unbounded.setEpochsPlanned(null);
        InvalidRunSpecException e = assertThrows(InvalidRunSpecException.class, () -> RunSpecs.config(unbounded));
        assertTrue(e.getMessage().contains("epochsPlanned"), e.getMessage());
    }

    @Test
    void invalidValuesInALoggedSpecAreNamedBySetting() {
        RunSpec bad = spec();
        bad.setBatchSize(0);
        InvalidRunSpecException e = assertThrows(InvalidRunSpecException.class, () -> RunSpecs.config(bad));
        assertTrue(e.getMessage().contains("Invalid value 0 for configuration batch-size: must be >= 1"), e.getMessage());
    }

    /** A value the command line refuses, written into a logged spec instead. */
    static Stream<Arguments> refusedValues() {
        return Stream.of(
                Arguments.of(RunConfigDef.MOMENTUM, 1.0, (Consumer<RunSpec>) s -> s.getOptimizer().setMomentum(1.0)),
                Arguments.of(RunConfigDef.LR, Double.NaN, (Consumer<RunSpec>) s -> s.getOptimizer().setLearningRate(Double.NaN)),
                Arguments.of(RunConfigDef.LR, -0.1, (Consumer<RunSpec>) s -> s.getOptimizer().setLearningRate(-0.1)),
                Arguments.of(RunConfigDef.WEIGHT_DECAY, -1e-4,
                        (Consumer<RunSpec>) s -> s.getOptimizer().setWeightDecay(-1e-4)),
                Arguments.of(RunConfigDef.NUM_CLASSES, 1, (Consumer<RunSpec>) s -> s.setNumClasses(1)),
                Arguments.of(RunConfigDef.MAX_PRUNE_FRACTION, 1.0,
                        (Consumer<RunSpec>) s -> s.getSelection().setMaxPruneFraction(1.0)),
                Arguments.of(RunConfigDef.LAG, 0, (Consumer<RunSpec>) s -> s.getStability().setLag(0)));
    }

    @ParameterizedTest
    @MethodSource("refusedValues")
    <T> void aLoggedSpecIsRefusedWithTheCommandLinesMessage(Setting<T> setting, T value, Consumer<RunSpec> write) {
        InvalidRunConfigException cli = assertThrows(InvalidRunConfigException.class,
                () -> RunConfig.builder().set(setting, value).build());
        RunSpec logged = spec();
        write.accept(logged);
        assertEquals(cli.errors(), RunSpecs.problems(logged));
    }

    @Test
    void aRunStartedWrittenWithSchemaV1KeepsTheHashItWasWrittenWith() throws Exception {
        Schema v1 = ReleasedSchemas.fromClasspath().versions(RecordType.RUN_STARTED).get(0).schema();
        Schema v1Spec = v1.getField("spec").schema();
        assertNull(v1Spec.getField("execution"), "v1 predates the execution settings");
        RunStarted now = RunSpecs.runStarted("r1", spec());
        now.getSpec().setExecution(null);
        now.getSpec().getStability().setJaccardAveraging(null);
        // The record as a v1 writer had it: the current one projected onto v1, single-object encoded.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<RunStarted>(RunStarted.class).write(now, enc);
        enc.flush();
        GenericRecord old = new GenericDatumReader<GenericRecord>(RunStarted.getClassSchema(), v1)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        byte[] logged = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();
        ByteArrayOutputStream specOut = new ByteArrayOutputStream();
        var specEnc = EncoderFactory.get().binaryEncoder(specOut, null);
        new GenericDatumWriter<GenericRecord>(v1Spec).write((GenericRecord) old.get("spec"), specEnc);
        specEnc.flush();
        String writtenHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(specOut.toByteArray()));

        RunStarted read = EventCodec.create().decode(logged, RunStarted.class);
        assertNull(read.getSpec().getExecution());
        assertEquals(RunSpecs.stability(spec()), RunSpecs.stability(read.getSpec()), "v1 means UNWEIGHTED");
        assertEquals(writtenHash, RunSpecs.configHash(read.getSpec()));
        assertEquals(Execution.AUTO, RunSpecs.execution(read.getSpec()));
        assertNotEquals(writtenHash, RunSpecs.configHash(spec()), "a spec that states its execution is hashed with it");
    }
}
