package org.ocsp.flink.job.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.job.run.RunLifecycle.Route;
import org.ocsp.flink.job.run.RunLifecycle.Step;
import org.ocsp.flink.job.RunBatch;

/** Every transition of a run's lifecycle and every rejection, without Flink. */
class RunLifecycleTest {
    private static final int MONITOR_START = 1;
    private static final Integer PLANNED = 3;
    private static long offsets;

    private static RunBatch train(int datasetEpoch, int index) {
        RunBatch b = new RunBatch();
        b.epoch = datasetEpoch;
        b.index = index;
        b.batchCount = index == 0 ? 2 : null;
        b.offset = offsets++;
        return b;
    }

    private static RunBatch eval(int datasetEpoch, int index) {
        RunBatch b = train(datasetEpoch, index);
        b.eval = true;
        b.batchCount = null;
        return b;
    }

    private static RunBatch end(int datasetEpoch, int trainBatches, int evalBatches) {
        RunBatch b = train(datasetEpoch, 0);
        b.epochEnd = true;
        b.batchCount = null;
        b.trainBatches = trainBatches;
        b.evalBatches = evalBatches;
        return b;
    }

    private static RunLifecycle joined() {
        return RunLifecycle.join(new byte[] {7}, "hash");
    }

    private static RunLifecycle.Arrival arrive(RunLifecycle run, RunBatch b) {
        return run.arrive(b, Optional.empty(), PLANNED);
    }

    /** A run started at dataset epoch 5 whose epoch 0 (before monitoring) is open. */
    private static RunLifecycle started() {
        RunLifecycle run = joined();
        assertTrue(arrive(run, train(5, 0)).startsRun());
        run.openEpoch();
        return run;
    }

    @Test
    void joinWaitsForTheFirstBatchOfADatasetEpoch() {
        RunLifecycle run = joined();
        assertFalse(run.started());
        assertEquals(Route.IGNORE_BEFORE_START, arrive(run, train(4, 1)).route());
        assertEquals(Route.IGNORE_BEFORE_START, arrive(run, eval(4, 0)).route());
        assertEquals(Route.IGNORE_BEFORE_START, arrive(run, end(4, 2, 1)).route());
        assertFalse(run.started());
        RunLifecycle.Arrival first = arrive(run, train(5, 0));
        assertTrue(first.startsRun());
        assertEquals(Route.WAIT, first.route(), "epoch 0's decision is not applied yet");
        assertEquals(5, run.startDatasetEpoch());
        assertEquals(2, run.trainBatchesPerEpoch());
        assertEquals(0, run.epoch());
    }

    @Test
    void aFirstBatchWithoutItsBatchCountIsRejectedAndTheRunDoesNotStart() {
        RunLifecycle run = joined();
        RunBatch b = train(5, 0);
        b.batchCount = null;
        RunLifecycle.Arrival a = arrive(run, b);
        assertEquals(Route.REJECT, a.route());
        assertTrue(a.reason().contains("must carry batchCount"), a.reason());
        assertFalse(run.started());
    }

    @Test
    void aBatchOfTheWrongShapeIsRejectedWithTheProblem() {
        RunLifecycle run = started();
        RunLifecycle.Arrival a = run.arrive(train(5, 1), Optional.of("3x28x28, the spec says 1x28x28"), PLANNED);
        assertEquals(Route.REJECT, a.route());
        assertEquals("wrong shape: 3x28x28, the spec says 1x28x28", a.reason());
    }

    @Test
    void batchesOfTheOpenEpochAreConsumedInOrderAndCounted() {
        RunLifecycle run = started();
        assertEquals(Route.CONSUME, arrive(run, train(5, 0)).route());
        assertEquals(Step.TRAIN, run.consume(train(5, 0)).step());
        assertEquals(Step.TRAIN, run.consume(train(5, 1)).step());
        RunBatch e = eval(5, 0);
        assertEquals(Step.EVAL, run.consume(e).step());
        assertEquals(Optional.of(e.offset), run.lastOffset());
        RunLifecycle.Consumed done = run.consume(end(5, 2, 1));
        assertEquals(Step.END_EPOCH, done.step());
        assertNull(done.reason(), "the counts agree");
    }

    @Test
    void anOutOfOrderBatchIsRejectedAndNotCounted() {
        RunLifecycle run = started();
        RunLifecycle.Consumed skipped = run.consume(train(5, 1));
        assertEquals(Step.REJECT, skipped.step());
        assertTrue(skipped.reason().contains("expects TRAIN batch 0 or EVAL batch 0"), skipped.reason());
        run.consume(train(5, 0));
        run.consume(eval(5, 0));
        RunLifecycle.Consumed trainAfterEval = run.consume(train(5, 1));
        assertEquals(Step.REJECT, trainAfterEval.step());
        assertTrue(trainAfterEval.reason().contains("expects EVAL batch 1"), trainAfterEval.reason());
        assertNull(run.consume(end(5, 1, 1)).reason(), "neither rejected batch was counted");
    }

    @Test
    void anEpochEndWhoseCountsDisagreeStillEndsTheEpochWithTheReason() {
        RunLifecycle run = started();
        run.consume(train(5, 0));
        RunLifecycle.Consumed c = run.consume(end(5, 2, 0));
        assertEquals(Step.END_EPOCH, c.step());
        assertTrue(c.reason().contains("announces 2 TRAIN and 0 EVAL batches, the run received 1 and 0"), c.reason());
    }

    @Test
    void aBatchOfAnEpochThatIsOverIsRejected() {
        RunLifecycle run = started();
        run.consume(end(5, 0, 0));
        run.advance();
        RunLifecycle.Arrival late = arrive(run, train(5, 1));
        assertEquals(Route.REJECT, late.route());
        assertTrue(late.reason().contains("epoch out of order") && late.reason().contains("while the run is at epoch 1"),
                late.reason());
    }

    @Test
    void batchesBeyondThePlannedEpochsAreIgnored() {
        RunLifecycle run = started();
        assertEquals(Route.IGNORE_BEYOND_PLAN, arrive(run, train(5 + PLANNED, 0)).route());
        assertEquals(Route.REJECT, run.arrive(train(5 + PLANNED, 0), Optional.empty(), null).route(),
                "an open-ended run takes it as what it is: a batch ahead of the stream");
    }

    @Test
    void batchesWaitBehindEarlierWaitingOnesAndForTheirEpochsDecision() {
        RunLifecycle run = joined();
        assertEquals(Route.WAIT, arrive(run, train(5, 0)).route(), "epoch 0's decision is not applied yet");
        assertEquals(0, run.enqueue());
        run.openEpoch();
        assertEquals(Route.WAIT, arrive(run, train(5, 1)).route(), "the queue is not empty");
        assertEquals(1, run.enqueue());
        assertEquals(Route.WAIT, arrive(run, end(5, 2, 0)).route());
        assertEquals(2, run.enqueue());
        assertEquals(Route.WAIT, arrive(run, train(6, 0)).route(), "the next epoch, after this one's end");
        assertEquals(3, run.enqueue());
        assertEquals(0, run.queueHead());
        for (int i = 0; i < 4; i++) {
            run.dequeue();
        }
        assertTrue(run.queueEmpty());
        assertThrows(IllegalStateException.class, run::dequeue);
    }

    @Test
    void fromMonitoringOnAnEpochWaitsForItsMaskFromTheLog() {
        RunLifecycle run = started();
        assertFalse(run.waitingForDecision(MONITOR_START), "epoch 0 is before monitoring");
        run.consume(end(5, 0, 0));
        run.advance();
        assertTrue(run.waitingForDecision(MONITOR_START));
        run.decide(1, "event-1", new Decision.Mask(1, Map.of("g", new int[] {0, 1})));
        assertFalse(run.waitingForDecision(MONITOR_START));
        RunLifecycle.EpochDecision d = run.openEpoch();
        assertTrue(run.decisionApplied());
        assertTrue(d.penaltyMask().isEmpty(), "monitoring, not regularising: no penalty");
        assertFalse(d.regularized());
    }

    @Test
    void aRegularizedEpochOpensWithItsMaskAndTheLambdaInForce() {
        RunLifecycle run = started();
        run.consume(end(5, 0, 0));
        run.advance();
        run.decide(1, "event-1", new Decision.RegularizationStarted(1));
        run.decide(2, "event-2", new Decision.Penalty(1, 0.25));
        run.decide(3, "event-3", new Decision.Mask(1, Map.of("g", new int[] {1})));
        RunLifecycle.EpochDecision d = run.openEpoch();
        assertTrue(d.regularized());
        assertEquals(0.25, d.lambda());
        assertArrayEquals(new int[] {1}, d.penaltyMask().orElseThrow().kept("g"));
        run.consume(end(6, 0, 0));
        run.advance();
        run.decide(4, "event-4", new Decision.Mask(2, Map.of("g", new int[] {0})));
        assertEquals(0.25, run.openEpoch().lambda(), "lambda holds until the log changes it");
        assertFalse(run.progress().masks().containsKey(1), "masks of past epochs are dropped when an epoch opens");
    }

    @Test
    void endingTheEpochOfTStarPrunesOnceAndThenNoEpochWaits() {
        RunLifecycle run = started();
        run.decide(1, "event-1", new Decision.Prune(0, Map.of("g", new int[] {2})));
        run.consume(end(5, 0, 0));
        assertTrue(run.endEpoch(), "t* is this epoch");
        assertTrue(run.pruned());
        assertFalse(run.endEpoch(), "surgery happens once");
        assertArrayEquals(new int[] {2}, run.pruneMask().kept("g"));
        run.advance();
        assertFalse(run.waitingForDecision(MONITOR_START), "a pruned run needs no more masks");
        RunLifecycle.EpochDecision d = run.openEpoch();
        assertTrue(d.pruned());
        assertFalse(d.regularized());
    }

    @Test
    void advanceOpensTheNextEpochWithFreshCounts() {
        RunLifecycle run = started();
        run.consume(train(5, 0));
        run.consume(end(5, 1, 0));
        run.advance();
        assertEquals(1, run.epoch());
        assertFalse(run.decisionApplied());
        run.decide(1, "event-1", new Decision.Mask(1, Map.of()));
        run.openEpoch();
        assertEquals(Step.TRAIN, run.consume(train(6, 0)).step(), "counts start at 0 again");
    }

    @Test
    void aFinishedRunIgnoresBatchesDropsItsQueueAndCannotOpenAnEpoch() {
        RunLifecycle run = started();
        run.enqueue();
        run.enqueue();
        run.finish();
        assertTrue(run.finished());
        assertTrue(run.queueEmpty());
        assertEquals(Route.IGNORE_FINISHED, run.arrive(train(5, 0), Optional.of("any shape problem"), PLANNED).route());
        assertThrows(IllegalStateException.class, run::openEpoch);
    }

    @Test
    void eventsMustComeInSequenceAndEachAppliedOneAdvancesIt() {
        RunLifecycle run = started();
        assertEquals(Optional.of("with sequence 2, expected sequence 1"), run.outOfOrder(2));
        assertTrue(run.outOfOrder(1).isEmpty());
        run.decide(1, "event-1", new Decision.None());
        assertEquals(Optional.of("with sequence 1, expected sequence 2"), run.outOfOrder(1));
        assertEquals(1, run.progress().lastSequence());
    }

    @Test
    void anEventBeforeTheRunStartedHereMeansAnEarlierJobTrainedIt() {
        RunLifecycle run = joined();
        assertTrue(run.startedByAnEarlierJob());
        run.finish();
        assertFalse(run.startedByAnEarlierJob(), "said once");
        assertFalse(started().startedByAnEarlierJob());
    }

    @Test
    void theCheckpointedValueResumesTheSameRunAndIsNotChangedByLaterTransitions() {
        RunLifecycle run = started();
        run.consume(train(5, 0));
        run.enqueue();
        run.decide(1, "event-1", new Decision.Mask(1, Map.of("g", new int[] {0, 3})));
        RunProgress saved = run.progress();
        run.consume(train(5, 1));
        run.decide(2, "event-2", new Decision.Mask(2, Map.of("g", new int[] {3})));
        assertEquals(1, saved.trainSeen());
        assertEquals(1, saved.lastSequence());
        assertFalse(saved.masks().containsKey(2));
        assertThrows(UnsupportedOperationException.class, () -> saved.masks().clear());
        RunLifecycle resumed = RunLifecycle.resume(RunProgressSerializer.fromBytes(RunProgressSerializer.toBytes(saved)));
        assertEquals(Step.TRAIN, resumed.consume(train(5, 1)).step(), "resumes after TRAIN batch 0");
        assertEquals(1, resumed.queueTail());
        assertArrayEquals(RunProgressSerializer.toBytes(saved), RunProgressSerializer.toBytes(RunLifecycle.resume(saved).progress()));
    }

    @Test
    void anUnknownStateVersionIsRefusedWithTheVersion() {
        byte[] bytes = RunProgressSerializer.toBytes(started().progress());
        bytes[3] = 1;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunProgressSerializer.fromBytes(bytes));
        assertTrue(e.getMessage().contains("version 1, this build reads 2 to 4"), e.getMessage());
    }

    @Test
    void aVersion2StateFromThePreviousReleaseRestoresWithoutTheDecisionHash() {
        RunLifecycle run = started();
        run.decide(1, "mask-1", new Decision.Mask(1, Map.of("g", new int[] {0, 3})));
        byte[] v3 = RunProgressSerializer.toBytes(run.progress());
        RunProgress noHash = RunProgressSerializer.fromBytes(RunProgressSerializer.toBytes(new RunProgress(
                run.progress().runStarted(), run.progress().configHash(), 1, run.progress().startDatasetEpoch(),
                run.progress().trainBatchesPerEpoch(), 0, false, false, 0, 0, Optional.empty(), Optional.empty(),
                run.progress().lambdas(), run.progress().masks(), Optional.empty(), Map.of(), false, 0, 0,
                Optional.empty(), Optional.empty())));
        // Version 2's layout is version 4's without the trailing hash (here: absent, one false byte) and stream epoch.
        byte[] v2 = java.util.Arrays.copyOf(RunProgressSerializer.toBytes(noHash), RunProgressSerializer.toBytes(noHash).length - 6);
        v2[3] = 2;
        RunProgress restored = RunProgressSerializer.fromBytes(v2);
        assertEquals(Optional.empty(), restored.lastDecisionHash());
        assertEquals(1, restored.lastSequence());
        assertArrayEquals(new int[] {0, 3}, restored.masks().get(1).get("g"));
        assertEquals(Optional.of("mask-1"), RunProgressSerializer.fromBytes(v3).lastDecisionHash());
    }

    @Test
    void theChainPointOfTheModelIsTheLastDecisionNotTheLastRecord() {
        RunLifecycle run = started();
        assertEquals(Optional.empty(), run.lastDecisionHash());
        run.decide(1, "mask-1", new Decision.Mask(1, Map.of("g", new int[] {0})));
        run.decide(2, "epoch-completed-1", new Decision.None());
        assertEquals(Optional.of("mask-1"), run.lastDecisionHash(), "a record of what happened decides nothing");
        run.decide(3, "prune", new Decision.Prune(1, Map.of("g", new int[] {0})));
        assertEquals(Optional.of("prune"), run.lastDecisionHash());
    }

    @Test
    void aBatchAheadOfTheStreamIsRejectedAndTheEpochGoesOnInsteadOfWedging() {
        RunLifecycle run = started(); // dataset epoch 5 is run epoch 0, its decision applied
        RunLifecycle.Arrival stray = run.arrive(train(6, 3), Optional.empty(), null);
        assertEquals(Route.REJECT, stray.route(), "queued, it would hold up every batch of epoch 0 behind it");
        assertTrue(stray.reason().startsWith("ahead of the stream: "), stray.reason());
        assertTrue(stray.reason().endsWith("(run epoch 1) arrived before the EpochEnd of run epoch 0; the stream is at "
                + "run epoch 0, the run at epoch 0"), stray.reason());
        assertEquals(Route.REJECT, run.arrive(train(5_006, 0), Optional.empty(), null).route(), "far ahead, too");
        assertEquals(Route.CONSUME, arrive(run, train(5, 1)).route(), "epoch 0 goes on");
        assertEquals(Route.CONSUME, arrive(run, end(5, 2, 0)).route());
        RunLifecycle.Arrival late = arrive(run, train(5, 1));
        assertEquals(Route.REJECT, late.route(), "after its epoch's end, before the run has moved on");
        assertTrue(late.reason().contains("arrived after its epoch's EpochEnd; the stream is at run epoch 1"),
                late.reason());
        assertEquals(Route.WAIT, arrive(run, train(6, 0)).route(), "the next epoch waits for its decision");
    }

    @Test
    void stateFromBeforeTheStreamEpochWasKeptLearnsItAndBoundsStraysMeanwhile() {
        RunLifecycle run = started();
        RunProgress p = run.progress();
        byte[] v4 = RunProgressSerializer.toBytes(p);
        // Version 3's layout is version 4's without the trailing stream epoch (one boolean, one int).
        byte[] v3 = java.util.Arrays.copyOf(v4, v4.length - 5);
        v3[3] = 3;
        RunLifecycle old = RunLifecycle.resume(RunProgressSerializer.fromBytes(v3));
        assertEquals(Optional.empty(), old.progress().streamEpoch());
        assertEquals(Optional.of(0), p.streamEpoch());
        RunLifecycle.Arrival stray = old.arrive(train(5_006, 0), Optional.empty(), null);
        assertEquals(Route.REJECT, stray.route());
        assertTrue(stray.reason().startsWith("too far ahead: "), stray.reason());
        assertTrue(stray.reason().endsWith("(run epoch 5001) arrived while the run is at epoch 0; batches at most 1000 "
                + "epochs ahead may wait"), stray.reason());
        assertEquals(Route.CONSUME, old.arrive(train(5, 1), Optional.empty(), null).route());
        assertEquals(Optional.of(0), old.progress().streamEpoch(), "learnt from the batch it accepted");
        assertEquals(Route.REJECT, old.arrive(train(6, 1), Optional.empty(), null).route(), "and then held to it");
    }
}
