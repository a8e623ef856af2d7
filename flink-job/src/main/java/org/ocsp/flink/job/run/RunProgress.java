package org.ocsp.flink.job.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where one run is, as the checkpoint keeps it: an immutable value that {@link RunLifecycle}
 * produces after every change and is resumed from ({@link RunProgressSerializer} writes it as
 * versioned bytes into keyed state). It changes only by log events (decisions) and consumed
 * batches. The kept-channel arrays are never written after construction.
 *
 * @param lastSequence sequence of the last event of this run seen in the log (RunStarted = 0)
 * @param epoch the run epoch in progress (or about to start)
 * @param decisionApplied the decision for {@code epoch} has been applied; its batches may train
 * @param masks the logged mask per epoch, from {@code epoch} on (older ones are dropped)
 * @param pruned the model has been pruned (surgery done at t*)
 * @param queueHead batches waiting for their epoch's decision occupy keys [queueHead, queueTail)
 * @param lastDecisionHash SHA-256 (hex) of the logged bytes of the last decision applied: the point
 *     of the run's event chain that the published model follows from (empty before the first)
 * @param streamEpoch the run epoch whose batches the stream is delivering now: the epochs whose
 *     EpochEnd has arrived (queued or consumed) since the run started; empty before the start, and
 *     in state from before it was kept (then it is learnt from the next batch)
 */
public record RunProgress(byte[] runStarted, String configHash, long lastSequence, Optional<Integer> startDatasetEpoch,
                   Optional<Integer> trainBatchesPerEpoch, int epoch, boolean decisionApplied, boolean finished,
                   int trainSeen, int evalSeen, Optional<Long> lastOffset, Optional<Integer> regularizationStart,
                   SortedMap<Integer, Double> lambdas, SortedMap<Integer, Map<String, int[]>> masks,
                   Optional<Integer> pruneEpoch, Map<String, int[]> pruneMask, boolean pruned, long queueHead,
                   long queueTail, Optional<String> lastDecisionHash, Optional<Integer> streamEpoch) {
    public RunProgress {
        lambdas = Collections.unmodifiableSortedMap(new TreeMap<>(lambdas));
        TreeMap<Integer, Map<String, int[]>> m = new TreeMap<>();
        masks.forEach((t, mask) -> m.put(t, frozen(mask)));
        masks = Collections.unmodifiableSortedMap(m);
        pruneMask = frozen(pruneMask);
    }

    /** A run whose RunStarted has been read and checked, before its first batch. */
    static RunProgress joined(byte[] runStarted, String configHash) {
        return new RunProgress(runStarted, configHash, 0, Optional.empty(), Optional.empty(), 0, false, false, 0, 0,
                Optional.empty(), Optional.empty(), new TreeMap<>(), new TreeMap<>(), Optional.empty(), Map.of(), false, 0, 0,
                Optional.empty(), Optional.empty());
    }

    private static Map<String, int[]> frozen(Map<String, int[]> mask) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(mask));
    }
}
