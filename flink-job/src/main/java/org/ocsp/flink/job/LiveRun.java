package org.ocsp.flink.job;

import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.train.StepResult;
import org.ocsp.modelops.train.TrainingSession;
import org.ocsp.schemas.avro.event.RunSpec;

/** A run's native model and the running sums of the epoch in progress (transient, rebuilt after a restore). */
final class LiveRun implements AutoCloseable {
    final String runId;
    final RunSpec spec;
    final TrainingSession session;
    String batchesTopic;
    double loss;
    long correct;
    long seen;
    double testLoss;
    long testCorrect;
    long testSeen;
    long startNanos;
    /** When the last TRAIN batch of the epoch finished (end-to-end throughput, not only the SGD steps). */
    long trainEndNanos;
    /** When the epoch ended; the next decision's wait is measured from here. */
    long epochEndNanos;

    private LiveRun(String runId, RunSpec spec, TrainingSession session) {
        this.runId = runId;
        this.spec = spec;
        this.session = session;
    }

    static LiveRun create(String runId, RunSpec spec, int trainBatchesPerEpoch) {
        return new LiveRun(runId, spec, TrainingSession.create(RunSpecs.graph(spec),
                RunSpecs.settings(spec, trainBatchesPerEpoch)));
    }

    /** Images per second from the epoch's start (its decision applied) to its last TRAIN batch, waits included. */
    double imagesPerSecond() {
        return seen / Math.max(1e-9, (trainEndNanos - startNanos) / 1e9);
    }

    void startEpoch() {
        loss = 0;
        correct = 0;
        seen = 0;
        testLoss = 0;
        testCorrect = 0;
        testSeen = 0;
        startNanos = System.nanoTime();
        trainEndNanos = startNanos;
    }

    /** Trains (TRAIN) or evaluates (EVAL) one batch and adds it to the epoch's sums. */
    void step(RunBatch b) {
        batchesTopic = b.topic;
        if (b.eval) {
            StepResult r = session.evalBatch(b.features, b.labels, b.n);
            testLoss += r.loss() * b.n;
            testCorrect += r.correct();
            testSeen += b.n;
        } else {
            StepResult r = session.trainBatch(b.features, b.labels, b.n);
            trainEndNanos = System.nanoTime();
            loss += r.loss() * b.n;
            correct += r.correct();
            seen += b.n;
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
