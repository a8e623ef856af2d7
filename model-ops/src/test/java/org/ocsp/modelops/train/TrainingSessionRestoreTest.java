package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.saliency.SaliencyKind;

/** A session rebuilt from parameters, iteration and momentum continues exactly as the original. */
class TrainingSessionRestoreTest {
    private static final int N = 4;

    @Test
    void restoredSessionContinuesBitForBit() {
        NetworkGraph g = Architectures.byName("mobile-tiny", 10);
        TrainingSettings s = new TrainingSettings(N, 3, SgdConfig.cifarDefault(),
                LearningRateSchedule.cosine(0.1, 0, 100), SaliencyKind.L2);
        Random r = new Random(1);
        float[] x = new float[N * 3 * 16 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] y = {1, 2, 3, 4};
        try (TrainingSession a = TrainingSession.create(g, s); TrainingSession b = TrainingSession.create(g, s)) {
            assertTrue(a.momentum().isEmpty(), "no momentum before the first step");
            a.trainBatch(x, y, N);
            a.trainBatch(x, y, N);
            b.params().flatParams().assign(a.params().flatParams());
            for (var ref : a.params().refs()) {
                b.params().tensor(ref.layer(), ref.kind()).assign(a.params().tensor(ref.layer(), ref.kind()));
            }
            b.restorePosition(a.iteration(), a.momentum());
            a.trainBatch(x, y, N);
            b.trainBatch(x, y, N);
            assertArrayEquals(a.params().flatParams().toFloatVector(), b.params().flatParams().toFloatVector());
            assertArrayEquals(a.momentum().orElseThrow(), b.momentum().orElseThrow());
        }
    }

    @Test
    void momentumOfTheWrongSizeIsRejected() {
        NetworkGraph g = Architectures.byName("mobile-tiny", 10);
        TrainingSettings s = new TrainingSettings(N, 3, SgdConfig.cifarDefault(),
                LearningRateSchedule.constant(0.1), SaliencyKind.L2);
        try (TrainingSession a = TrainingSession.create(g, s)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.restorePosition(5, Optional.of(new float[3])));
            assertTrue(e.getMessage().contains("3 values"), e.getMessage());
        }
    }
}
