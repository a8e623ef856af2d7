package org.ocsp.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.Split;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.ConsumedOffset;
import org.ocsp.schemas.avro.event.CosineSchedule;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.ExportFormat;
import org.ocsp.schemas.avro.event.ExportedModel;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.FinalMetrics;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.GroupJaccard;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.LrScheduleKind;
import org.ocsp.schemas.avro.event.LrScheduleSpec;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.OptimizerSpec;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.PruningReason;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.control.RunStopRequested;
import org.ocsp.schemas.avro.event.RunFailed;
import org.ocsp.schemas.avro.event.RunRejected;
import org.ocsp.schemas.avro.event.RunStarted;
import org.ocsp.schemas.avro.event.SaliencyKind;
import org.ocsp.schemas.avro.event.SelectionSpec;
import org.ocsp.schemas.avro.event.StabilitySpec;

/** One realistic record of every top-level type, every optional field set. */
final class SampleRecords {

  static final Instant TIME = Instant.parse("2026-03-01T12:34:56.789Z");

  private SampleRecords() {}

  static SpecificRecord sample(RecordType type) {
    switch (type) {
      case TRAINING_BATCH:
        return trainingBatch();
      case EPOCH_END:
        return EpochEnd.newBuilder().setDatasetName("cifar10").setSeed(42L).setEpoch(3)
            .setTrainBatches(391).setEvalBatches(79).build();
      case RUN_STARTED:
        return runStarted();
      case EPOCH_COMPLETED:
        return epochCompleted();
      case MASK_SNAPSHOT:
        return MaskSnapshot.newBuilder().setHeader(header(5, "stability"))
            .setGroups(masks())
            .setComparedWithEpoch(3)
            .setGroupJaccard(List.of(
                GroupJaccard.newBuilder().setGroupId("conv1").setJaccard(0.8).build(),
                GroupJaccard.newBuilder().setGroupId("stage1.residual").setJaccard(1.0).build()))
            .setSimilarity(0.9).setStabilityScore(0.6)
            .setSaliencyDigest("sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")
            .build();
      case REGULARIZATION_STARTED:
        return RegularizationStarted.newBuilder().setHeader(header(12, "stability"))
            .setMode(RegularizationStartMode.AUTOMATIC)
            .setReason("J_avg(12) - J_avg(10) = 0.00008 <= eps 0.0001")
            .setStabilityScore(0.87).build();
      case PENALTY_CHANGED:
        return PenaltyChanged.newBuilder().setHeader(header(14, "stability"))
            .setLambdaOld(1e-4).setLambdaNew(2e-4).build();
      case PRUNING_EVENT:
        return PruningEvent.newBuilder().setHeader(header(40, "stability"))
            .setTStar(40).setReason(PruningReason.TAU_REACHED).setStabilityScore(0.9991)
            .setFinalMask(masks())
            .setChannelCounts(List.of(
                GroupChannelCount.newBuilder().setGroupId("conv1").setBefore(4).setAfter(2).build(),
                GroupChannelCount.newBuilder().setGroupId("stage1.residual").setBefore(8).setAfter(5).build()))
            .setFlopsBefore(127_120_000L).setFlopsAfter(63_500_000L)
            .setParamsBefore(853_018L).setParamsAfter(480_111L).build();
      case MODEL_PUBLISHED:
        return ModelPublished.newBuilder().setHeader(header(299, "publisher"))
            .setUri("file:///models/run-7/final.zip")
            .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
            .setSizeBytes(1_234_567L)
            .setFinalMetrics(FinalMetrics.newBuilder().setEpochsTrained(300).setTrainLoss(0.01)
                .setTrainAccuracy(0.999).setTestAccuracy(0.9389).setFlops(63_500_000L).setParams(480_111L).build())
            .setExports(List.of(ExportedModel.newBuilder().setFormat(ExportFormat.ONNX)
                .setUri("file:///models/run-7/model.onnx")
                .setSha256("60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")
                .setSizeBytes(1_200_000L).setOpset(17).build()))
            .build();
      case RUN_FAILED:
        return RunFailed.newBuilder().setHeader(header(12, "stability")).setStage("train")
            .setReason("training diverged: the loss of batch 3 of dataset epoch 14 is NaN")
            .setInput("batches-2@1234").build();
      case RUN_REJECTED:
        return RunRejected.newBuilder().setHeader(header(0, "stability"))
            .setReason("the job already trains 32 runs (max-active-runs 32)").setActiveRuns(32).setLimit(32).build();
      case RUN_STOP_REQUESTED:
        return RunStopRequested.newBuilder().setRunId("run-7").setRequestedBy("alice").setReason("enough accuracy")
            .setRequestedAt(TIME).build();
      case DEAD_LETTER:
        return DeadLetter.newBuilder().setSourceTopic("batches").setPartition(2).setOffset(1234L)
            .setStage("decode-batch").setErrorClass(UnreadableRecordException.class.getName())
            .setReason("Not Avro single-object encoding: starts with 7B 22 61 22 ...")
            .setPayload(ByteBuffer.wrap(new byte[] {0x7B, 0x22, 0x61, 0x22}))
            .setKey(ByteBuffer.wrap(new byte[] {1, 2}))
            .setRunId("run-7").setConfigHash("ab12").setTime(TIME).build();
      default:
        throw new IllegalArgumentException("No sample for " + type);
    }
  }

  static EventHeader header(int epoch, String producer) {
    return EventHeader.newBuilder()
        .setEventId(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))
        .setRunId("run-7")
        .setSequence(17L)
        .setEpoch(epoch)
        .setStep(epoch * 391L)
        .setEventTime(TIME)
        .setProducer(producer)
        .setConfigHash("5d41402abc4b2a76b9719d911017c592")
        .setConsumedOffsets(List.of(
            ConsumedOffset.newBuilder().setTopic("batches").setPartition(0).setOffset(99L).build(),
            ConsumedOffset.newBuilder().setTopic("events").setPartition(1).setOffset(7L).build()))
        .setCheckpointId(31L)
        .build();
  }

  static TrainingBatch trainingBatch() {
    // N=2, C=1, H=2, W=2
    float[] values = {0f, 0.5f, -1f, 2.25f, 1e-3f, -0f, 3.5f, 7f};
    ByteBuffer features = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      features.putFloat(v);
    }
    features.flip();
    return TrainingBatch.newBuilder().setDatasetName("cifar10").setSeed(42L).setEpoch(3)
        .setSplit(Split.EVAL).setIndex(5).setBatchCount(79)
        .setShape(List.of(2, 1, 2, 2)).setFeatures(features).setLabels(List.of(3, 9)).build();
  }

  static EpochCompleted epochCompleted() {
    return EpochCompleted.newBuilder().setHeader(header(7, "trainer"))
        .setDatasetEpoch(9).setTrainLoss(0.71).setTrainAccuracy(0.75).setTestAccuracy(0.72)
        .setLearningRate(0.0991).setFlops(127_120_000L).setParams(853_018L)
        .setImagesPerSecond(181.5).setDurationMillis(275_000L).setTestLoss(0.83).build();
  }

  static RunStarted runStarted() {
    RunSpec spec = RunSpec.newBuilder()
        .setArchitecture("resnet56").setNumClasses(10).setInputShape(List.of(3, 32, 32))
        .setDatasetName("cifar10").setFlopsReductionTarget(0.5).setEpochsPlanned(300).setBatchSize(128)
        .setOptimizer(OptimizerSpec.newBuilder().setLearningRate(0.1).setMomentum(0.9).setNesterov(true)
            .setWeightDecay(5e-4).build())
        .setLrSchedule(LrScheduleSpec.newBuilder().setKind(LrScheduleKind.COSINE).setPerIteration(true)
            .setParams(CosineSchedule.newBuilder().setFinalLearningRate(0.0).setHorizonEpochs(300).build()).build())
        .setStability(StabilitySpec.newBuilder().setMonitorStart(2).setLag(2).setWindow(3).setTau(0.999)
            .setRegularizationStart(RegularizationStartMode.FIXED).setSlStart(30).setPlateauEps(1e-4)
            .setLambdaStart(1e-4).setLambdaDelta(1e-4).setLambdaInterval(1).setHardCapEpoch(110).build())
        .setSelection(SelectionSpec.newBuilder().setMaxPruneFraction(0.75).setPruneLimitRate(1.0)
            .setFlopsTolerance(5e-4).setCostAware(true).build())
        .setSaliency(SaliencyKind.L2_MAGNITUDE).setSeed(1234L).build();
    EventHeader header = header(0, "cli-run");
    header.setSequence(0L);
    header.setConsumedOffsets(null);
    header.setCheckpointId(null);
    return RunStarted.newBuilder().setHeader(header).setSpec(spec).build();
  }

  private static List<GroupMask> masks() {
    return List.of(
        GroupMask.newBuilder().setGroupId("conv1").setOriginalWidth(4).setKept(List.of(0, 3)).build(),
        GroupMask.newBuilder().setGroupId("stage1.residual").setOriginalWidth(8).setKept(List.of(1, 2, 4, 6, 7)).build());
  }
}
