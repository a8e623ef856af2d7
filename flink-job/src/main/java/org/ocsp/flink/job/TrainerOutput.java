package org.ocsp.flink.job;

/**
 * What the trainer tells the stability operator about one run, in order: START (the run began,
 * with the saliency for epoch 0's decision when it needs one), EPOCH (an epoch finished: metrics
 * and the saliency for the next decision), PUBLISHED (the final model was written), FAILED (a
 * fault of the run's own ended it; nothing of the run follows), REJECTED (the active-run limit
 * refused it before it trained). Flink POJO.
 */
public class TrainerOutput {
    /** What the output says; the fields each kind fills are named with the field. */
    public enum Kind {
        START,
        EPOCH,
        PUBLISHED,
        FAILED,
        REJECTED
    }

    public String runId;
    public Kind kind;
    /** START: the RunStarted event (single-object bytes). */
    public byte[] runStarted;
    public int epoch;
    public int datasetEpoch;
    public long step;
    /** EPOCH: whether this was the planned last epoch (no further decision). */
    public boolean last;
    /** Group scores (see {@link org.ocsp.flink.job.run.ScoresCodec}) for the decision of epoch {@code epoch + 1} (START: epoch 0). */
    public byte[] scores;
    public double trainLoss;
    public double trainAccuracy;
    public Double testLoss;
    public Double testAccuracy;
    public double learningRate;
    public long flops;
    public long params;
    public double imagesPerSecond;
    public long durationMillis;
    /** Offset of the last batches-topic record consumed (null before any). */
    public Long lastOffset;
    public String batchesTopic;
    public String uri;
    public String sha256;
    public long sizeBytes;
    /** PUBLISHED: the ONNX export written next to the model (ModelPublished.exports). */
    public String onnxUri;
    public String onnxSha256;
    public long onnxSizeBytes;
    /** FAILED: where ({@link org.ocsp.flink.job.run.RunFault.Stage#logName()}), why, and the input that caused it (nullable). */
    public String failureStage;
    public String failureReason;
    public String failureInput;
    /** REJECTED: the runs the job was training, and its limit (the reason is in failureReason). */
    public int activeRuns;
    public int runLimit;
    /** PUBLISHED: null after the last planned epoch; for a run stopped on request, who asked and why. */
    public String stopReason;

    public TrainerOutput() {
    }
}
