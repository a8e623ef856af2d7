package org.ocsp.flink.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.train.EpochListener;
import org.ocsp.modelops.train.EpochReport;
import org.ocsp.modelops.train.PruningLoop;
import org.ocsp.modelops.train.StepResult;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * One run of model-ops' offline loop ({@link PruningLoop}, what {@code model-ops train} runs) on the
 * spec and batch sequence a streaming run gets. Its decision time (saliency, selection, stability,
 * in-process) is recorded where a streaming run records its decision wait.
 */
final class BareRun {
    private BareRun() {
    }

    static RunMeasurement run(RunSpec spec, BatchSequence seq, int epochs, int round) {
        PruningLoop loop = new PruningLoop(RunSpecs.graph(spec), RunSpecs.settings(spec, seq.batchCount(Split.TRAIN)),
                RunSpecs.stability(spec), RunSpecs.selection(spec), true);
        Recorder rec = new Recorder();
        try {
            loop.run(seq, epochs, rec);
        } finally {
            if (loop.session() != null) {
                loop.session().close();
            }
        }
        return new RunMeasurement(RunMeasurement.Mode.BARE, round, rec.samples);
    }

    /** Per epoch: TRAIN images (counted, not assumed), the loop's rate, and the decision time before it. */
    private static final class Recorder implements EpochListener {
        final List<EpochSample> samples = new ArrayList<>();
        long lastEpochEnd = System.nanoTime();
        long decisionMillis;
        long trainImages;

        @Override
        public void onDecision(EpochDecision decision) {
            decisionMillis = (System.nanoTime() - lastEpochEnd) / 1_000_000;
            trainImages = 0;
        }

        @Override
        public void onBatch(int epoch, Split split, int index, int count, StepResult result) {
            if (split == Split.TRAIN) {
                trainImages += result.size();
            }
        }

        @Override
        public void onEpoch(EpochReport r) {
            samples.add(new EpochSample(r.epoch(), trainImages, r.imagesPerSecond(), r.durationMillis(),
                    r.epoch() == 0 ? OptionalLong.empty() : OptionalLong.of(decisionMillis)));
            lastEpochEnd = System.nanoTime();
        }
    }
}
