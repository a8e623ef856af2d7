package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.testing.MaskOracle;
import org.ocsp.modelops.testing.SmallGraphs;

class TrainingSessionTest {
    private static TrainingSettings settings() {
        return new TrainingSettings(4, 3, SgdConfig.cifarDefault(), LearningRateSchedule.cosine(0.1, 0, 100), SaliencyKind.L2);
    }

    @Test
    void pruningKeepsTheSchedulePositionAndTrainingContinuesOnTheSmallerNetwork() {
        var graph = SmallGraphs.residual();
        try (TrainingSession s = TrainingSession.create(graph, settings())) {
            SplittableRandom r = new SplittableRandom(1);
            float[] x = new float[4 * 3 * 8 * 8];
            int[] y = {1, 2, 3, 4};
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < 5; i++) {
                s.trainBatch(x, y, 4);
            }
            double lrBefore = s.learningRate();
            SubnetworkMask mask = MaskOracle.randomMask(s.groups(), 2);
            s.setPenalty(mask, 0.1);
            PruneResult p = s.prune(mask);
            assertEquals(5, s.iteration());
            assertEquals(lrBefore, s.learningRate(), 0.0);
            assertTrue(p.flopsAfter() < p.flopsBefore());
            assertEquals(0.0, s.lambda(), 0.0, "penalty dropped at surgery");
            assertEquals(mask, s.provenance().asMask());
            double first = s.trainBatch(x, y, 4).loss();
            double later = first;
            for (int i = 0; i < 20; i++) {
                later = s.trainBatch(x, y, 4).loss();
            }
            assertTrue(later < first, "the pruned network keeps learning: " + first + " -> " + later);
            assertThrows(IllegalStateException.class, () -> s.prune(mask));
        }
    }

    @Test
    void trainingOnOneBatchDrivesItsLossDown() {
        var graph = SmallGraphs.vggWithFlatten();
        try (TrainingSession s = TrainingSession.create(graph, settings())) {
            float[] x = new float[4 * 3 * 8 * 8];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i * 0.7);
            }
            int[] y = {0, 1, 2, 3};
            double start = s.evalBatch(x, y, 4).loss();
            for (int i = 0; i < 30; i++) {
                s.trainBatch(x, y, 4);
            }
            assertTrue(s.trainBatch(x, y, 4).loss() < start / 2);
        }
    }
}
