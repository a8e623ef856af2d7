package org.ocsp.flink.bench;

/**
 * One completed checkpoint: end-to-end duration, the full size of the state it references and the
 * bytes it actually wrote (incremental RocksDB checkpoints upload only new SST files), for the
 * whole job and for the trainer alone (the model tensors and queued batches live there).
 */
record CheckpointSample(long id, long triggerMillis, long durationMillis, long fullBytes, long incrementalBytes,
                        long trainerFullBytes, long trainerIncrementalBytes) {
}
