package org.ocsp.flink.job;

import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Runs the {@link Trainer} and, when a checkpoint is taken, first writes every live model that
 * changed since the last one into keyed state. Flink calls {@link #snapshotState} before it
 * snapshots the keyed state backend, so the models go into this checkpoint; a function alone
 * cannot switch the current key to each run, an operator can.
 */
final class TrainerOperator extends KeyedCoProcessOperator<String, RunBatch, ControlEvent, TrainerOutput> {
    private static final long serialVersionUID = 1L;

    TrainerOperator(Trainer trainer) {
        super(trainer);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        ((Trainer) userFunction).checkpoint(this::setCurrentKey);
        super.snapshotState(context);
    }
}
