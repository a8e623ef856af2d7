package org.ocsp.flink.job;

/**
 * A decoded batch or epoch-end marker from the batches topic, addressed to one run after the
 * fan-out ({@code runId} is null before). Flink POJO: public fields, no-arg constructor.
 */
public class RunBatch {
    public String runId;
    public String datasetName;
    public long seed;
    /** Dataset epoch (as published). */
    public int epoch;
    /** true: an EpochEnd marker (no features). */
    public boolean epochEnd;
    /** true: EVAL split; false: TRAIN. */
    public boolean eval;
    public int index;
    /** Batches of this split in the epoch, when the publisher sent it. */
    public Integer batchCount;
    public int n;
    public int c;
    public int h;
    public int w;
    public float[] features;
    public int[] labels;
    /** EpochEnd only: TRAIN and EVAL batches sent for the epoch. */
    public int trainBatches;
    public int evalBatches;
    public String topic;
    public int partition;
    public long offset;
    /** Not a batch: the fan-out refused the run (the job's active-run limit), and this says why. */
    public String rejection;
    /** With {@link #rejection}: the runs the job was training, and its limit. */
    public int rejectionActiveRuns;
    public int rejectionLimit;

    public RunBatch() {
    }

    /** A shallow copy addressed to a run (the arrays are shared: nobody mutates them). */
    public RunBatch forRun(String run) {
        RunBatch b = new RunBatch();
        b.runId = run;
        b.datasetName = datasetName;
        b.seed = seed;
        b.epoch = epoch;
        b.epochEnd = epochEnd;
        b.eval = eval;
        b.index = index;
        b.batchCount = batchCount;
        b.n = n;
        b.c = c;
        b.h = h;
        b.w = w;
        b.features = features;
        b.labels = labels;
        b.trainBatches = trainBatches;
        b.evalBatches = evalBatches;
        b.topic = topic;
        b.partition = partition;
        b.offset = offset;
        return b;
    }

    public String describe() {
        return epochEnd ? "EpochEnd of dataset epoch " + epoch
                : (eval ? "EVAL" : "TRAIN") + " batch " + index + " of dataset epoch " + epoch;
    }
}
