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
    long trainNanos;

    private LiveRun(String runId, RunSpec spec, TrainingSession session) {
        this.runId = runId;
        this.spec = spec;
        this.session = session;
    }

    static LiveRun create(String runId, RunSpec spec, int trainBatchesPerEpoch) {
        return new LiveRun(runId, spec, TrainingSession.create(RunSpecs.graph(spec),
                RunSpecs.settings(spec, trainBatchesPerEpoch)));
    }

    void startEpoch() {
        loss = 0;
        correct = 0;
        seen = 0;
        testLoss = 0;
        testCorrect = 0;
        testSeen = 0;
        trainNanos = 0;
        startNanos = System.nanoTime();
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
            long t0 = System.nanoTime();
            StepResult r = session.trainBatch(b.features, b.labels, b.n);
            trainNanos += System.nanoTime() - t0;
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
