package org.ocsp.flink.job.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.ocsp.flink.job.BatchAddress;
import org.ocsp.flink.job.RunBatch;
import org.ocsp.flink.job.run.RunLifecycle;
import org.ocsp.flink.job.run.RunProgressSerializer;

/**
 * The trainer's keyed state (RocksDB), per run. The descriptor names are part of every savepoint:
 * renaming one loses that state on restore, so they live here and nowhere else.
 *
 * <pre>{@code
 * TrainerState state = TrainerState.open(getRuntimeContext());
 * Optional<RunLifecycle> run = state.run();
 * }</pre>
 */
public final class TrainerState {
    public static final TypeInformation<byte[]> BYTES = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    private final ValueState<byte[]> control;
    /** Batches that came before the run's RunStarted (rare; re-read once it arrives). */
    private final ListState<RunBatch> early;
    /** Addresses of the batches waiting for their epoch's decision: key = arrival number ({@link WaitQueue}). */
    public final MapState<Long, BatchAddress> queue;
    /** The model as of the last checkpoint, one entry per tensor, and its position ({@link ModelStateStore}). */
    final MapState<String, byte[]> model;

    private TrainerState(RuntimeContext ctx) {
        control = ctx.getState(new ValueStateDescriptor<>("control", BYTES));
        early = ctx.getListState(new ListStateDescriptor<>("early", TypeInformation.of(RunBatch.class)));
        queue = ctx.getMapState(new MapStateDescriptor<>("queue-addresses", Types.LONG,
                TypeInformation.of(BatchAddress.class)));
        model = ctx.getMapState(new MapStateDescriptor<>("model-tensors", Types.STRING, BYTES));
    }

    public static TrainerState open(RuntimeContext ctx) {
        return new TrainerState(ctx);
    }

    /** The current run's lifecycle as the last change left it; empty before its RunStarted. */
    public Optional<RunLifecycle> run() throws Exception {
        byte[] bytes = control.value();
        return bytes == null ? Optional.empty() : Optional.of(RunLifecycle.resume(RunProgressSerializer.fromBytes(bytes)));
    }

    public void save(RunLifecycle run) throws Exception {
        control.update(RunProgressSerializer.toBytes(run.progress()));
    }

    public void holdEarly(RunBatch b) throws Exception {
        early.add(b);
    }

    public List<RunBatch> takeEarly() throws Exception {
        List<RunBatch> before = new ArrayList<>();
        for (RunBatch b : early.get()) {
            before.add(b);
        }
        early.clear();
        return before;
    }

    /** The run is over: its model need not survive a restore any more. */
    public void dropModel() throws Exception {
        model.clear();
    }
}
