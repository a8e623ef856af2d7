package org.ocsp.flink.job.kafka;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.ocsp.flink.publish.Floats;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.Split;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.flink.job.RunBatch;

/** Re-encodes a decoded batch for a dead letter's payload (the trainer no longer has the raw bytes). */
public final class BatchPayload {
    private BatchPayload() {
    }

    public static byte[] encode(RunBatch b, EventCodec codec) {
        if (b.epochEnd) {
            return codec.encode(EpochEnd.newBuilder().setDatasetName(b.datasetName).setSeed(b.seed).setEpoch(b.epoch)
                    .setTrainBatches(b.trainBatches).setEvalBatches(b.evalBatches).build());
        }
        List<Integer> labels = new ArrayList<>();
        for (int y : b.labels) {
            labels.add(y);
        }
        return codec.encode(TrainingBatch.newBuilder().setDatasetName(b.datasetName).setSeed(b.seed).setEpoch(b.epoch)
                .setSplit(b.eval ? Split.EVAL : Split.TRAIN).setIndex(b.index).setBatchCount(b.batchCount)
                .setShape(List.of(b.n, b.c, b.h, b.w)).setFeatures(ByteBuffer.wrap(Floats.toBytes(b.features,
                        b.features.length))).setLabels(labels).build());
    }
}
