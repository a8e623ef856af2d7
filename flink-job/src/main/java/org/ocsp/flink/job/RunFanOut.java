package org.ocsp.flink.job;

import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * Sends every batch to every active run (broadcast state: run id -> dataset filter, from the
 * RunStarted events). The trainer decides where in the stream a run starts.
 */
public final class RunFanOut extends BroadcastProcessFunction<RunBatch, ControlEvent, RunBatch> {
    private static final long serialVersionUID = 1L;
    /** Run id -> dataset name the run trains on ("" = any). */
    public static final MapStateDescriptor<String, String> RUNS =
            new MapStateDescriptor<>("active-runs", Types.STRING, Types.STRING);

    private transient EventCodec codec;

    @Override
    public void processElement(RunBatch b, ReadOnlyContext ctx, Collector<RunBatch> out) throws Exception {
        for (Map.Entry<String, String> run : ctx.getBroadcastState(RUNS).immutableEntries()) {
            if (run.getValue().isEmpty() || run.getValue().equals(b.datasetName)) {
                out.collect(b.forRun(run.getKey()));
            }
        }
    }

    @Override
    public void processBroadcastElement(ControlEvent e, Context ctx, Collector<RunBatch> out) throws Exception {
        if (!RecordType.RUN_STARTED.name().equals(e.type)) {
            return;
        }
        if (codec == null) {
            codec = EventCodec.create();
        }
        try {
            RunStarted s = codec.decode(e.value, RunStarted.class);
            String dataset = s.getSpec().getDatasetName();
            if (!ctx.getBroadcastState(RUNS).contains(e.runId)) {
                ctx.getBroadcastState(RUNS).put(e.runId, dataset == null ? "" : dataset);
            }
        } catch (UnreadableRecordException ex) {
            // EventDecoder already read it; cannot happen for the same bytes. The trainer dead-letters bad runs.
        }
    }
}
