package org.ocsp.flink.run;

import static org.ocsp.modelops.stability.RegularizationStartMode.FIXED;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.config.InvalidRunConfigException;
import org.ocsp.modelops.config.RunConfig;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.config.ScheduleKind;
import org.ocsp.modelops.engine.ConvAlgorithm;
import org.ocsp.modelops.engine.EngineChoice;
import org.ocsp.modelops.engine.Execution;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.modelops.stability.JaccardAveraging;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.modelops.stability.StabilityRules;
import org.ocsp.modelops.train.LearningRateSchedule;
import org.ocsp.modelops.train.SgdConfig;
import org.ocsp.modelops.train.TrainingSettings;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.ReleasedSchemas;
import org.ocsp.schemas.avro.event.AdaptiveSpec;
import org.ocsp.schemas.avro.event.ConvAlgorithmKind;
import org.ocsp.schemas.avro.event.CosineSchedule;
import org.ocsp.schemas.avro.event.EngineKind;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.ExecutionSpec;
import org.ocsp.schemas.avro.event.JaccardAveragingKind;
import org.ocsp.schemas.avro.event.LinearSchedule;
import org.ocsp.schemas.avro.event.LrScheduleKind;
import org.ocsp.schemas.avro.event.LrScheduleSpec;
import org.ocsp.schemas.avro.event.MultiStepSchedule;
import org.ocsp.schemas.avro.event.OptimizerSpec;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;
import org.ocsp.schemas.avro.event.SelectionSpec;
import org.ocsp.schemas.avro.event.StabilitySpec;
import org.ocsp.schemas.avro.event.StepSchedule;

/**
 * The bridge between the logged {@link RunSpec} and model-ops, in both directions: a declared
 * {@link RunConfig} to its spec and back, validation, config hash, and the settings objects the
 * trainer and the stability operator build from a spec.
 *
 * <pre>{@code
 * RunSpec spec = RunSpecs.toSpec(RunConfig.builder().set(RunConfigDef.TARGET, 0.5).build(), null);
 * RunConfig back = RunSpecs.config(spec);              // equal to the config it came from
 * String hash = RunSpecs.configHash(spec);            // SHA-256 of the canonical Avro bytes
 * RunStarted started = RunSpecs.runStarted("run-1", spec);
 * StabilityConfig stability = RunSpecs.stability(spec);
 * }</pre>
 */
public final class RunSpecs {
    // model-ops and the log name the measures differently; the log's names are released and stay.
    private static final Map<SaliencyKind, org.ocsp.schemas.avro.event.SaliencyKind> AVRO_SALIENCY = new EnumMap<>(Map.of(
            SaliencyKind.L2, org.ocsp.schemas.avro.event.SaliencyKind.L2_MAGNITUDE,
            SaliencyKind.TAYLOR, org.ocsp.schemas.avro.event.SaliencyKind.TAYLOR_FIRST_ORDER,
            SaliencyKind.BN_SCALE, org.ocsp.schemas.avro.event.SaliencyKind.BN_SCALE));

    // Oldest first: a spec is hashed in the first of them that holds it.
    private static final List<Schema> RELEASED_SPEC_SCHEMAS = ReleasedSchemas.fromClasspath()
            .versions(RecordType.RUN_STARTED).stream().map(v -> v.schema().getField("spec").schema()).toList();

    private RunSpecs() {
    }

    /**
     * A spec with the declared defaults ({@link RunConfigDef}) and the given model, target and
     * epochs (null: an unbounded stream, which then needs a schedule horizon), to adjust. Nothing is
     * validated, so tests can build bad specs from it.
     */
    public static RunSpec.Builder reference(String architecture, int numClasses, List<Integer> inputShape,
                                            double target, Integer epochsPlanned) {
        return RunSpec.newBuilder(unvalidatedSpec(RunConfig.builder().build(), null))
                .setArchitecture(architecture).setNumClasses(numClasses).setInputShape(new ArrayList<>(inputShape))
                .setFlopsReductionTarget(target).setEpochsPlanned(epochsPlanned);
    }

    /**
     * The logged form of a run configuration: every declared setting, the schedule's parameters
     * derived from its kind, the reference selection. {@code datasetName} (null: any) is stream-only.
     *
     * @throws InvalidRunSpecException if the spec breaks a rule of the log (e.g. FIXED without sl-start)
     */
    public static RunSpec toSpec(RunConfig c, String datasetName) {
        return validate(unvalidatedSpec(c, datasetName));
    }

    // sl-start is logged in FIXED mode only, where it means something (the field's documented use).
    private static RunSpec unvalidatedSpec(RunConfig c, String datasetName) {
        int epochs = c.get(RunConfigDef.EPOCHS);
        return RunSpec.newBuilder()
                .setArchitecture(c.get(RunConfigDef.ARCH)).setNumClasses(c.get(RunConfigDef.NUM_CLASSES))
                .setInputShape(new ArrayList<>(c.get(RunConfigDef.INPUT_SHAPE))).setDatasetName(datasetName)
                .setFlopsReductionTarget(c.get(RunConfigDef.TARGET)).setEpochsPlanned(epochs)
                .setBatchSize(c.get(RunConfigDef.BATCH_SIZE))
                .setOptimizer(OptimizerSpec.newBuilder().setLearningRate(c.get(RunConfigDef.LR))
                        .setMomentum(c.get(RunConfigDef.MOMENTUM)).setNesterov(c.get(RunConfigDef.NESTEROV))
                        .setWeightDecay(c.get(RunConfigDef.WEIGHT_DECAY)).build())
                .setLrSchedule(scheduleSpec(c))
                .setStability(StabilitySpec.newBuilder()
                        .setMonitorStart(c.get(RunConfigDef.MONITOR_START)).setLag(c.get(RunConfigDef.LAG))
                        .setWindow(c.get(RunConfigDef.WINDOW)).setTau(c.get(RunConfigDef.TAU))
                        .setRegularizationStart(RegularizationStartMode.valueOf(c.get(RunConfigDef.REG_START).name()))
                        .setSlStart(c.get(RunConfigDef.REG_START) == FIXED ? c.get(RunConfigDef.SL_START) : null)
                        .setPlateauEps(c.get(RunConfigDef.PLATEAU_EPS))
                        .setLambdaStart(c.get(RunConfigDef.LAMBDA_START)).setLambdaDelta(c.get(RunConfigDef.LAMBDA_DELTA))
                        .setLambdaInterval(c.get(RunConfigDef.LAMBDA_INTERVAL))
                        .setHardCapEpoch(c.find(RunConfigDef.HARD_CAP).orElse(null))
                        .setJaccardAveraging(JaccardAveragingKind.valueOf(c.get(RunConfigDef.JACCARD_AVERAGING).name()))
                        .setAdaptive(adaptiveSpec(c)).build())
                .setSelection(SelectionSpec.newBuilder().setMaxPruneFraction(c.get(RunConfigDef.MAX_PRUNE_FRACTION))
                        .setPruneLimitRate(c.get(RunConfigDef.PRUNE_LIMIT_RATE))
                        .setFlopsTolerance(c.get(RunConfigDef.FLOPS_TOLERANCE))
                        .setCostAware(c.get(RunConfigDef.COST_AWARE))
                        .setChannelMultiple(c.get(RunConfigDef.CHANNEL_MULTIPLE)).build())
                .setSaliency(AVRO_SALIENCY.get(c.get(RunConfigDef.SALIENCY)))
                .setSeed(c.get(RunConfigDef.SEED))
                .setExecution(ExecutionSpec.newBuilder()
                        .setEngine(EngineKind.valueOf(c.get(RunConfigDef.ENGINE).name()))
                        .setConvAlgorithm(ConvAlgorithmKind.valueOf(c.get(RunConfigDef.CONV_ALGORITHM).name())).build())
                .build();
    }

    // Logged only under the ADAPTIVE rules: null is what every log before them says (the reference's).
    private static AdaptiveSpec adaptiveSpec(RunConfig c) {
        if (c.get(RunConfigDef.STABILITY_RULES) != StabilityRules.ADAPTIVE) {
            return null;
        }
        return AdaptiveSpec.newBuilder().setStartChurn(c.get(RunConfigDef.ADAPTIVE_START_CHURN))
                .setStopChurn(c.get(RunConfigDef.ADAPTIVE_STOP_CHURN))
                .setNegligibleRatio(c.get(RunConfigDef.ADAPTIVE_NEGLIGIBLE_RATIO))
                .setPathShare(c.get(RunConfigDef.ADAPTIVE_PATH_SHARE))
                .setLambdaStart(c.get(RunConfigDef.ADAPTIVE_LAMBDA_START)).setGain(c.get(RunConfigDef.ADAPTIVE_GAIN))
                .setMaxRise(c.get(RunConfigDef.ADAPTIVE_MAX_RISE)).build();
    }

    // Milestones in whole epochs, so the logged spec reads the same whatever the batches per epoch.
    private static LrScheduleSpec scheduleSpec(RunConfig c) {
        ScheduleKind kind = c.get(RunConfigDef.SCHEDULE);
        Object params;
        switch (kind) {
            case LINEAR:
                params = LinearSchedule.newBuilder().setFinalLearningRate(c.get(RunConfigDef.LR_FINAL))
                        .setHorizonEpochs(c.find(RunConfigDef.LR_HORIZON).orElse(null)).build();
                break;
            case MULTI_STEP:
                params = MultiStepSchedule.newBuilder().setGamma(c.get(RunConfigDef.LR_GAMMA))
                        .setMilestoneEpochs(Arrays.stream(c.milestoneEpochs()).boxed().toList()).build();
                break;
            case STEP:
                params = StepSchedule.newBuilder().setGamma(c.get(RunConfigDef.LR_GAMMA))
                        .setStepEpochs(c.stepEpochs()).build();
                break;
            default:
                params = CosineSchedule.newBuilder().setFinalLearningRate(c.get(RunConfigDef.LR_FINAL))
                        .setHorizonEpochs(c.find(RunConfigDef.LR_HORIZON).orElse(null)).build();
        }
        return LrScheduleSpec.newBuilder().setKind(LrScheduleKind.valueOf(kind.name()))
                .setPerIteration(c.get(RunConfigDef.LR_PER_ITERATION))
                .setParams(params).build();
    }

    /**
     * The declared settings a spec carries, as a model-ops run configuration: the same settings,
     * validated by the same rules, as {@code model-ops train} takes on its command line.
     *
     * @throws InvalidRunSpecException for an unbounded spec (model-ops plans its epochs) or invalid values
     */
    public static RunConfig config(RunSpec spec) {
        if (spec.getEpochsPlanned() == null) {
            throw new InvalidRunSpecException(List.of("Missing configuration epochsPlanned: a model-ops run "
                    + "configuration plans its epochs"));
        }
        try {
            return builder(spec).build();
        } catch (InvalidRunConfigException e) {
            throw new InvalidRunSpecException(e.errors());
        }
    }

    // An unbounded spec plans no epochs; its schedule's horizon stands in for them (MULTI_STEP and
    // STEP have none: their steps are explicit), so the rest of its settings is checked alike.
    private static RunConfig.Builder builder(RunSpec spec) {
        StabilitySpec s = spec.getStability();
        OptimizerSpec o = spec.getOptimizer();
        SelectionSpec sel = spec.getSelection();
        Integer epochs = spec.getEpochsPlanned() != null ? spec.getEpochsPlanned() : horizonEpochs(spec);
        RunConfig.Builder b = RunConfig.builder()
                .set(RunConfigDef.ARCH, spec.getArchitecture()).set(RunConfigDef.NUM_CLASSES, spec.getNumClasses())
                .set(RunConfigDef.INPUT_SHAPE, List.copyOf(spec.getInputShape()))
                .set(RunConfigDef.TARGET, spec.getFlopsReductionTarget())
                .set(RunConfigDef.BATCH_SIZE, spec.getBatchSize()).set(RunConfigDef.LR, o.getLearningRate())
                .set(RunConfigDef.SCHEDULE, ScheduleKind.valueOf(spec.getLrSchedule().getKind().name()))
                .set(RunConfigDef.MOMENTUM, o.getMomentum()).set(RunConfigDef.NESTEROV, o.getNesterov())
                .set(RunConfigDef.WEIGHT_DECAY, o.getWeightDecay()).set(RunConfigDef.SEED, spec.getSeed())
                .set(RunConfigDef.SALIENCY, saliency(spec)).set(RunConfigDef.COST_AWARE, sel.getCostAware())
                .set(RunConfigDef.MAX_PRUNE_FRACTION, sel.getMaxPruneFraction())
                .set(RunConfigDef.PRUNE_LIMIT_RATE, sel.getPruneLimitRate())
                .set(RunConfigDef.FLOPS_TOLERANCE, sel.getFlopsTolerance())
                .set(RunConfigDef.MONITOR_START, s.getMonitorStart()).set(RunConfigDef.LAG, s.getLag())
                .set(RunConfigDef.WINDOW, s.getWindow()).set(RunConfigDef.TAU, s.getTau())
                .set(RunConfigDef.REG_START, modelOpsStart(s.getRegularizationStart()))
                .set(RunConfigDef.PLATEAU_EPS, s.getPlateauEps())
                .set(RunConfigDef.LAMBDA_START, s.getLambdaStart()).set(RunConfigDef.LAMBDA_DELTA, s.getLambdaDelta())
                .set(RunConfigDef.LAMBDA_INTERVAL, s.getLambdaInterval()).set(RunConfigDef.HARD_CAP, s.getHardCapEpoch());
        if (epochs != null) {
            b.set(RunConfigDef.EPOCHS, epochs);
        }
        if (spec.getExecution() != null) {
            Execution e = execution(spec);
            b.set(RunConfigDef.ENGINE, e.engine()).set(RunConfigDef.CONV_ALGORITHM, e.convAlgorithm());
        }
        if (s.getSlStart() != null) {
            b.set(RunConfigDef.SL_START, s.getSlStart());
        }
        if (s.getJaccardAveraging() != null) {
            b.set(RunConfigDef.JACCARD_AVERAGING, JaccardAveraging.valueOf(s.getJaccardAveraging().name()));
        }
        AdaptiveSpec a = s.getAdaptive();
        if (a != null) {
            b.set(RunConfigDef.STABILITY_RULES, StabilityRules.ADAPTIVE)
                    .set(RunConfigDef.ADAPTIVE_START_CHURN, a.getStartChurn())
                    .set(RunConfigDef.ADAPTIVE_STOP_CHURN, a.getStopChurn())
                    .set(RunConfigDef.ADAPTIVE_NEGLIGIBLE_RATIO, a.getNegligibleRatio())
                    .set(RunConfigDef.ADAPTIVE_PATH_SHARE, a.getPathShare())
                    .set(RunConfigDef.ADAPTIVE_LAMBDA_START, a.getLambdaStart())
                    .set(RunConfigDef.ADAPTIVE_GAIN, a.getGain()).set(RunConfigDef.ADAPTIVE_MAX_RISE, a.getMaxRise());
        }
        b.set(RunConfigDef.CHANNEL_MULTIPLE, sel.getChannelMultiple());
        b.set(RunConfigDef.LR_PER_ITERATION, spec.getLrSchedule().getPerIteration());
        Object params = spec.getLrSchedule().getParams();
        if (params instanceof CosineSchedule c) {
            b.set(RunConfigDef.LR_FINAL, c.getFinalLearningRate()).set(RunConfigDef.LR_HORIZON, c.getHorizonEpochs());
        } else if (params instanceof LinearSchedule l) {
            b.set(RunConfigDef.LR_FINAL, l.getFinalLearningRate()).set(RunConfigDef.LR_HORIZON, l.getHorizonEpochs());
        }
        if (params instanceof StepSchedule st) {
            b.set(RunConfigDef.LR_GAMMA, st.getGamma());
            // A derived period stays derived, as milestones do below.
            boolean derived = epochs != null && epochs >= 1 && st.getStepEpochs() == RunConfig.defaultStepEpochs(epochs);
            if (!derived) {
                b.set(RunConfigDef.LR_STEP_EPOCHS, st.getStepEpochs());
            }
        }
        if (params instanceof MultiStepSchedule m) {
            b.set(RunConfigDef.LR_GAMMA, m.getGamma());
            List<Integer> milestones = List.copyOf(m.getMilestoneEpochs());
            // The derived milestones stay derived, so a configuration and its logged spec are equal.
            boolean derived = epochs != null && epochs >= 1 && milestones.equals(Arrays.stream(
                    LearningRateSchedule.cifarMilestoneEpochs(epochs)).boxed().toList());
            if (!derived) {
                b.set(RunConfigDef.LR_MILESTONES, milestones);
            }
        }
        return b;
    }

    /**
     * Every problem of a spec at once; empty when the job can run it. The settings are checked as
     * on the command line ({@link RunConfig}); the rules below that only concern a log come on top.
     */
    public static List<String> problems(RunSpec spec) {
        List<String> p = new ArrayList<>();
        try {
            builder(spec).build();
        } catch (InvalidRunConfigException e) {
            p.addAll(e.errors());
        }
        LrScheduleSpec s = spec.getLrSchedule();
        Object params = s.getParams();
        boolean match = (s.getKind() == LrScheduleKind.COSINE && params instanceof CosineSchedule)
                || (s.getKind() == LrScheduleKind.LINEAR && params instanceof LinearSchedule)
                || (s.getKind() == LrScheduleKind.MULTI_STEP && params instanceof MultiStepSchedule)
                || (s.getKind() == LrScheduleKind.STEP && params instanceof StepSchedule);
        if (!match) {
            p.add("Invalid value " + params + " for configuration lrSchedule.params: does not match kind " + s.getKind());
        }
        if (horizonEpochs(spec) == null && s.getKind() != LrScheduleKind.MULTI_STEP && s.getKind() != LrScheduleKind.STEP) {
            p.add("Missing configuration lrSchedule.params.horizonEpochs: needed when epochsPlanned is not set");
        }
        if (spec.getStability().getRegularizationStart() == RegularizationStartMode.FIXED
                && spec.getStability().getSlStart() == null) {
            p.add("Missing configuration stability.slStart: a logged run with regularizationStart FIXED states it");
        }
        return p;
    }

    /** @throws InvalidRunSpecException listing every problem */
    public static RunSpec validate(RunSpec spec) {
        List<String> p = problems(spec);
        if (!p.isEmpty()) {
            throw new InvalidRunSpecException(p);
        }
        return spec;
    }

    /**
     * Canonical bytes: the Avro binary encoding of the spec in the oldest released RunStarted
     * version that holds all of it. A spec read from an old log (its newer fields at their
     * defaults) thus has the bytes, and the config hash, it was written with, and a spec that uses
     * a newer field is hashed with it.
     */
    public static byte[] canonicalBytes(RunSpec spec) {
        byte[] current = encode(new SpecificDatumWriter<>(RunSpec.class), spec);
        for (Schema older : RELEASED_SPEC_SCHEMAS) {
            if (older.equals(RunSpec.getClassSchema())) {
                break;
            }
            try {
                GenericRecord projected = new GenericDatumReader<GenericRecord>(RunSpec.getClassSchema(), older)
                        .read(null, DecoderFactory.get().binaryDecoder(current, null));
                byte[] olderBytes = encode(new GenericDatumWriter<>(older), projected);
                RunSpec back = new SpecificDatumReader<RunSpec>(older, RunSpec.getClassSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(olderBytes, null));
                if (back.equals(spec)) {
                    return olderBytes;
                }
            } catch (AvroTypeException e) {
                // A symbol or a union branch the older schema lacks (e.g. STEP): it cannot hold the spec.
            } catch (IOException e) {
                throw new IllegalStateException("Cannot project a run spec onto an earlier schema", e);
            }
        }
        return current;
    }

    private static <T> byte[] encode(DatumWriter<T> writer, T datum) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(datum, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode run spec", e);
        }
    }

    /** SHA-256 of {@link #canonicalBytes}, lower-case hex. */
    public static String configHash(RunSpec spec) {
        return HexFormat.of().formatHex(sha256(canonicalBytes(spec)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deterministic event id: the same (run, sequence, config) always gets the same id, so duplicates show. */
    public static UUID eventId(String runId, long sequence, String configHash) {
        return UUID.nameUUIDFromBytes((runId + "/" + sequence + "/" + configHash).getBytes(StandardCharsets.UTF_8));
    }

    /** The header of a run's event. */
    public static EventHeader header(String runId, long sequence, int epoch, long step, String producer, String configHash) {
        return EventHeader.newBuilder().setEventId(eventId(runId, sequence, configHash)).setRunId(runId)
                .setSequence(sequence).setEpoch(epoch).setStep(step).setEventTime(java.time.Instant.ofEpochMilli(
                        System.currentTimeMillis())).setProducer(producer).setConfigHash(configHash)
                .setConsumedOffsets(null).setCheckpointId(null).build();
    }

    /** The RunStarted event (sequence 0) of a validated spec. */
    public static RunStarted runStarted(String runId, RunSpec spec) {
        return runStarted(runId, spec, java.util.Optional.empty());
    }

    /** @param signingKeyId the key the job must sign the run's events with (verify checks it), if the starter names one */
    public static RunStarted runStarted(String runId, RunSpec spec, java.util.Optional<String> signingKeyId) {
        RunIds.require(runId);
        validate(spec);
        return RunStarted.newBuilder().setHeader(header(runId, 0, 0, 0, "cli-run", configHash(spec))).setSpec(spec)
                .setSigningKeyId(signingKeyId.orElse(null)).build();
    }

    public static NetworkGraph graph(RunSpec spec) {
        List<Integer> s = spec.getInputShape();
        return Architectures.byName(spec.getArchitecture(), spec.getNumClasses(),
                new LayerSpec.Input(s.get(0), s.get(1), s.get(2)));
    }

    public static SelectionSettings selection(RunSpec spec) {
        SelectionSpec s = spec.getSelection();
        return new SelectionSettings(spec.getFlopsReductionTarget(),
                new PruningLimit(s.getMaxPruneFraction(), s.getPruneLimitRate()), s.getFlopsTolerance(),
                s.getChannelMultiple());
    }

    /** @throws InvalidRunSpecException for a spec that is not valid */
    public static StabilityConfig stability(RunSpec spec) {
        try {
            return builder(spec).build().stability();
        } catch (InvalidRunConfigException e) {
            throw new InvalidRunSpecException(e.errors());
        }
    }

    public static SaliencyKind saliency(RunSpec spec) {
        return AVRO_SALIENCY.entrySet().stream().filter(e -> e.getValue() == spec.getSaliency()).findFirst()
                .orElseThrow().getKey();
    }

    private static org.ocsp.modelops.stability.RegularizationStartMode modelOpsStart(RegularizationStartMode mode) {
        return org.ocsp.modelops.stability.RegularizationStartMode.valueOf(mode.name());
    }

    /** Training settings once the number of TRAIN batches per epoch is known (the schedule needs it). */
    public static TrainingSettings settings(RunSpec spec, int trainBatchesPerEpoch) {
        OptimizerSpec o = spec.getOptimizer();
        return new TrainingSettings(spec.getBatchSize(), spec.getSeed(),
                new SgdConfig(o.getMomentum(), o.getNesterov(), o.getWeightDecay()),
                schedule(spec, trainBatchesPerEpoch), saliency(spec), spec.getSelection().getCostAware(), execution(spec));
    }

    /** The engine and conv algorithm a spec asks for; a spec written before they were logged (v1) ran with AUTO. */
    public static Execution execution(RunSpec spec) {
        ExecutionSpec e = spec.getExecution();
        return e == null ? Execution.AUTO : new Execution(EngineChoice.valueOf(e.getEngine().name()),
                ConvAlgorithm.valueOf(e.getConvAlgorithm().name()));
    }

    private static Integer horizonEpochs(RunSpec spec) {
        Object params = spec.getLrSchedule().getParams();
        Integer h = null;
        if (params instanceof CosineSchedule) {
            h = ((CosineSchedule) params).getHorizonEpochs();
        } else if (params instanceof LinearSchedule) {
            h = ((LinearSchedule) params).getHorizonEpochs();
        }
        return h != null ? h : spec.getEpochsPlanned();
    }

    /** The run's learning rate per iteration: {@link RunConfig#schedule}, from the logged settings. */
    static LearningRateSchedule schedule(RunSpec spec, int batchesPerEpoch) {
        try {
            return builder(spec).build().schedule(batchesPerEpoch);
        } catch (InvalidRunConfigException e) {
            throw new InvalidRunSpecException(e.errors());
        }
    }
}
