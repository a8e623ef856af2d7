package org.ocsp.flink.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.publish.Floats;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.Split;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.flink.job.deadletter.BadInputException;
import org.ocsp.flink.job.deadletter.DeadLetterRoute;
import org.ocsp.flink.job.deadletter.DeadLetters;

/**
 * Batches topic records to {@link RunBatch}: Avro decoding and the run-independent checks (shape
 * consistent with the bytes and labels, finite values). Anything else goes to dead letters.
 */
public final class BatchDecoder extends ProcessFunction<RawRecord, RunBatch> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "decode-batch";

    private final DeadLetterRoute route;

    public BatchDecoder(DeadLetters deadLetters) {
        this(deadLetters, JobSettingDef.MAX_BATCH_RECORD_BYTES.defaultValue().orElseThrow());
    }

    /** @param maxRecordBytes {@link JobSettingDef#MAX_BATCH_RECORD_BYTES} */
    public BatchDecoder(DeadLetters deadLetters, long maxRecordBytes) {
        this.route = new DeadLetterRoute(deadLetters, maxRecordBytes, JobSettingDef.MAX_BATCH_RECORD_BYTES.name());
    }

    @Override
    public void open(OpenContext ctx) {
        route.open(getRuntimeContext());
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<RunBatch> out) {
        java.util.Optional<OutRecord> tooBig = route.oversized(raw, STAGE);
        if (tooBig.isPresent()) {
            ctx.output(DeadLetters.TAG, tooBig.get());
            return;
        }
        try {
            out.collect(decode(raw, route.codec()));
        } catch (UnreadableRecordException | BadInputException e) {
            ctx.output(DeadLetters.TAG, route.reject(raw, STAGE, e));
        }
    }

    /** One record of the batches topic as a batch (not yet addressed to a run), with its topic position. */
    public static RunBatch decode(RawRecord raw, EventCodec codec) throws UnreadableRecordException, BadInputException {
        Object record = codec.decode(raw.value);
        RunBatch b;
        if (record instanceof TrainingBatch) {
            b = fromBatch((TrainingBatch) record);
        } else if (record instanceof EpochEnd) {
            b = fromEnd((EpochEnd) record);
        } else {
            throw new BadInputException("Expected a TrainingBatch or EpochEnd on the batches topic, got a "
                    + record.getClass().getSimpleName());
        }
        b.topic = raw.topic;
        b.partition = raw.partition;
        b.offset = raw.offset;
        return b;
    }

    private static RunBatch fromEnd(EpochEnd e) throws BadInputException {
        if (e.getEpoch() < 0 || e.getTrainBatches() < 0 || e.getEvalBatches() < 0) {
            throw new BadInputException("Invalid EpochEnd: epoch " + e.getEpoch() + ", train batches "
                    + e.getTrainBatches() + ", eval batches " + e.getEvalBatches() + " must all be >= 0");
        }
        RunBatch b = new RunBatch();
        b.datasetName = e.getDatasetName();
        b.seed = e.getSeed();
        b.epoch = e.getEpoch();
        b.epochEnd = true;
        b.trainBatches = e.getTrainBatches();
        b.evalBatches = e.getEvalBatches();
        return b;
    }

    private static RunBatch fromBatch(TrainingBatch t) throws BadInputException {
        var shape = t.getShape();
        if (shape.size() != 4) {
            throw new BadInputException("Wrong shape " + shape + ": expected 4 dimensions [N, C, H, W]");
        }
        long count = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new BadInputException("Wrong shape " + shape + ": every dimension must be >= 1");
            }
            count *= d;
        }
        int n = shape.get(0);
        if (t.getLabels().size() != n) {
            throw new BadInputException("Wrong shape: " + t.getLabels().size() + " labels for N = " + n + " examples");
        }
        if (t.getFeatures().remaining() != count * Float.BYTES) {
            throw new BadInputException("Wrong shape " + shape + ": needs " + count * Float.BYTES + " feature bytes, got "
                    + t.getFeatures().remaining());
        }
        if (t.getEpoch() < 0 || t.getIndex() < 0) {
            throw new BadInputException("Invalid batch position: epoch " + t.getEpoch() + ", index " + t.getIndex());
        }
        // batchCount sizes a run's schedule (its first batch carries it), so a count that no index fits is refused here.
        if (t.getBatchCount() != null && (t.getBatchCount() < 1 || t.getIndex() >= t.getBatchCount())) {
            throw new BadInputException("Invalid batch count " + t.getBatchCount() + " for index " + t.getIndex()
                    + ": must be >= 1 and above the index");
        }
        float[] f = Floats.fromBytes(t.getFeatures());
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                throw new BadInputException("Non-finite feature value " + f[i] + " at position " + i + " of "
                        + (t.getSplit() == Split.EVAL ? "EVAL" : "TRAIN") + " batch " + t.getIndex() + " of epoch "
                        + t.getEpoch());
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = t.getLabels().get(i);
        }
        RunBatch b = new RunBatch();
        b.datasetName = t.getDatasetName();
        b.seed = t.getSeed();
        b.epoch = t.getEpoch();
        b.eval = t.getSplit() == Split.EVAL;
        b.index = t.getIndex();
        b.batchCount = t.getBatchCount();
        b.n = n;
        b.c = shape.get(1);
        b.h = shape.get(2);
        b.w = shape.get(3);
        b.features = f;
        b.labels = labels;
        return b;
    }
}
