package org.ocsp.flink.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ocsp.flink.job.kafka.BatchReader;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * Test helper: the trainer's inputs as it receives them (a run's RunStarted read back from the
 * log, batches of seeded noise images) and a batches topic that holds nothing.
 */
final class TrainerInputs {
    /** A batches topic from which nothing can be read again. */
    static final BatchReader NO_READS = new BatchReader() {
        private static final long serialVersionUID = 1L;

        @Override
        public Map<BatchAddress, RunBatch> read(List<BatchAddress> addresses) {
            return Map.of();
        }

        @Override
        public void close() {
        }
    };

    private TrainerInputs() {
    }

    /** The run's RunStarted (sequence 0) as the trainer reads it back from the events topic. */
    static ControlEvent runStarted(String runId, RunSpec spec) {
        ControlEvent e = new ControlEvent();
        e.runId = runId;
        e.type = RecordType.RUN_STARTED;
        e.sequence = 0;
        e.value = EventCodec.create().encode(RunSpecs.runStarted(runId, spec));
        e.topic = "events";
        return e;
    }

    /** A TRAIN or EVAL batch of {@code n} 1x28x28 images of noise with random labels. */
    static RunBatch batch(String runId, Random random, int epoch, boolean eval, int index, int batchCount, int n,
                          long offset) {
        RunBatch b = base(runId, epoch, offset);
        b.eval = eval;
        b.index = index;
        b.batchCount = batchCount;
        b.n = n;
        b.c = 1;
        b.h = 28;
        b.w = 28;
        b.features = new float[n * 28 * 28];
        for (int k = 0; k < b.features.length; k++) {
            b.features[k] = (float) random.nextGaussian();
        }
        b.labels = new int[n];
        for (int k = 0; k < n; k++) {
            b.labels[k] = random.nextInt(10);
        }
        return b;
    }

    /** The EpochEnd marker of a dataset epoch. */
    static RunBatch epochEnd(String runId, int epoch, int trainBatches, int evalBatches, long offset) {
        RunBatch end = base(runId, epoch, offset);
        end.epochEnd = true;
        end.trainBatches = trainBatches;
        end.evalBatches = evalBatches;
        return end;
    }

    /** Dataset epoch 0 for one run: {@code train} TRAIN batches, one EVAL batch, the EpochEnd marker. */
    static List<RunBatch> epoch(String runId, long seed, int train, int n) {
        Random random = new Random(seed);
        List<RunBatch> s = new ArrayList<>();
        for (int i = 0; i < train; i++) {
            s.add(batch(runId, random, 0, false, i, train, n, i));
        }
        s.add(batch(runId, random, 0, true, 0, 1, n, train));
        s.add(epochEnd(runId, 0, train, 1, train + 1));
        return s;
    }

    static RunBatch base(String runId, int epoch, long offset) {
        RunBatch b = new RunBatch();
        b.runId = runId;
        b.datasetName = "fashion-mnist";
        b.epoch = epoch;
        b.topic = "batches";
        b.offset = offset;
        return b;
    }
}
