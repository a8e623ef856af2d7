package org.ocsp.flink.job.run;

import org.ocsp.modelops.selection.SubnetworkMask;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.train.StepResult;
import org.ocsp.modelops.train.TrainingSession;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.flink.job.RunBatch;

/**
 * A run's native model and the running sums of the epoch in progress. Transient: it is written to
 * keyed state when a checkpoint is taken ({@link org.ocsp.flink.job.state.ModelStateStore}) and rebuilt from there after a
 * restore, mid-epoch included.
 */
public final class LiveRun implements AutoCloseable {
    public final String runId;
    public final RunSpec spec;
    public final TrainingSession session;
    String batchesTopic;
    public final EpochSums train = new EpochSums();
    final EpochSums eval = new EpochSums();
    long startNanos;
    /** When the last TRAIN batch of the epoch finished (end-to-end throughput, not only the SGD steps). */
    long trainEndNanos;
    /** When the epoch ended; the next decision's wait is measured from here. */
    long epochEndNanos;
    /** Changed since it was last written to keyed state. */
    private boolean changed = true;

    private LiveRun(String runId, RunSpec spec, TrainingSession session) {
        this.runId = runId;
        this.spec = spec;
        this.session = session;
    }

    /**
     * @throws RunFault if the model or the optimiser cannot be built from the spec: model-ops
     *     refuses a value that the spec's validation let through (the run's fault, not the job's)
     */
    public static LiveRun create(String runId, RunSpec spec, int trainBatchesPerEpoch) throws RunFault {
        try {
            return new LiveRun(runId, spec, TrainingSession.create(RunSpecs.graph(spec),
                    RunSpecs.settings(spec, trainBatchesPerEpoch)));
        } catch (IllegalArgumentException e) {
            throw new RunFault(RunFault.Stage.START, "cannot build the run from its spec: " + e.getMessage(), null, e);
        }
    }

    /** Images per second from the epoch's start (its decision applied) to its last TRAIN batch, waits included. */
    double imagesPerSecond() {
        return train.seen() / Math.max(1e-9, (trainEndNanos - startNanos) / 1e9);
    }

    void startEpoch() {
        train.clear();
        eval.clear();
        startNanos = System.nanoTime();
        trainEndNanos = startNanos;
        changed = true;
    }

    /**
     * Trains (TRAIN) or evaluates (EVAL) one batch and adds it to the epoch's sums.
     *
     * @throws RunFault if the loss is not finite: the run diverged (its weights are no longer
     *     numbers, and every later batch and decision would be meaningless)
     */
    public void step(RunBatch b) throws RunFault {
        changed = true;
        batchesTopic = b.topic;
        StepResult r = b.eval ? session.evalBatch(b.features, b.labels, b.n) : session.trainBatch(b.features, b.labels, b.n);
        if (!Double.isFinite(r.loss())) {
            throw new RunFault(RunFault.Stage.TRAIN, "training diverged: the loss of " + b.describe() + " is " + r.loss()
                    + " (learning rate " + session.learningRate() + "; try a lower --lr)", b.topic + "-" + b.partition
                    + "@" + b.offset, null);
        }
        if (b.eval) {
            eval.add(r, b.n);
        } else {
            train.add(r, b.n);
            trainEndNanos = System.nanoTime();
        }
    }

    /** Channel surgery on the live model (t* was this epoch). */
    public void prune(SubnetworkMask kept) {
        session.prune(kept);
        changed = true;
    }

    public boolean changedSinceSaved() {
        return changed;
    }

    public void saved() {
        changed = false;
    }

    /**
     * The epoch's sums and its elapsed time; with the tensors they are the whole position, so a
     * restore mid-epoch continues with the same EpochCompleted a run without the restore writes.
     */
    public void writeProgress(DataOutputStream out) throws IOException {
        long now = System.nanoTime();
        out.writeLong(session.iteration());
        train.write(out);
        eval.write(out);
        out.writeBoolean(batchesTopic != null);
        out.writeUTF(batchesTopic == null ? "" : batchesTopic);
        out.writeLong(now - startNanos);
        out.writeLong(trainEndNanos - startNanos);
    }

    /** Reads what {@link #writeProgress} wrote; returns the session iteration it was written at. */
    public long readProgress(DataInputStream in) throws IOException {
        long iteration = in.readLong();
        train.read(in);
        eval.read(in);
        boolean hasTopic = in.readBoolean();
        String topic = in.readUTF();
        batchesTopic = hasTopic ? topic : null;
        // Time elapsed before the restore counts; the downtime does not.
        startNanos = System.nanoTime() - in.readLong();
        trainEndNanos = startNanos + in.readLong();
        return iteration;
    }

    @Override
    public void close() {
        session.close();
    }
}
