package org.ocsp.modelops.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.ocsp.modelops.stability.Masks.ab;
import static org.ocsp.modelops.stability.Masks.g;
import static org.ocsp.modelops.stability.Masks.ints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.saliency.GroupScores;

class AdaptiveSignalsTest {
    private static final double EPS = 1e-12;

    private static Map<String, double[]> scores(double[] a, double[] b) {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("a", a);
        s.put("b", b);
        return s;
    }

    @Test
    void churnIsTheShareOfTheRemovedChannelsThatWereKeptOneEpochEarlier() {
        // width 4: {0, 1} -> {0, 2} removes {1, 3}, of which 1 was kept
        assertEquals(0.5, SelectionChurn.of(g(0, 1), g(0, 2), Map.of("g", 4)), EPS);
        assertEquals(0.0, SelectionChurn.of(g(0, 2), g(0, 2), Map.of("g", 4)), EPS);
        // M_t keeps more than M_{t-1}: nothing newly removed
        assertEquals(0.0, SelectionChurn.of(g(0), g(0, 2), Map.of("g", 4)), EPS);
        // removes only channels M_{t-1} kept
        assertEquals(1.0, SelectionChurn.of(g(0, 1), g(2, 3), Map.of("g", 4)), EPS);
    }

    @Test
    void churnPoolsTheGroups() {
        // a, width 5: {0,1,2} -> {1,2} removes {0,3,4}, newly 0; b, width 3: {0} -> {1} removes {0,2}, newly 0
        double churn = SelectionChurn.of(ab(ints(0, 1, 2), ints(0)), ab(ints(1, 2), ints(1)), Map.of("a", 5, "b", 3));
        assertEquals(2.0 / 5, churn, EPS);          // (1 + 1) / (3 + 2), not the mean of 1/3 and 1/2
    }

    @Test
    void churnOfAMaskThatRemovesNothingIsZero() {
        assertEquals(0.0, SelectionChurn.of(g(0, 1), g(0, 1), Map.of("g", 2)), EPS);
    }

    @Test
    void churnNeedsTheWidthOfEveryGroup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectionChurn.of(g(0), g(0), Map.of("h", 3)));
        assertEquals("No width for group 'g': churn counts the channels a mask removes, got widths for [h]", e.getMessage());
    }

    @Test
    void removalWeightIsTheRemovedMeanOverTheKeptMean() {
        // scores {4, 1, 3, 0}, keeps {0, 2}: removed mean (1 + 0) / 2, kept mean (4 + 3) / 2
        assertEquals(1.0 / 7, RemovalWeight.ratio(g(0, 2), Map.of("g", new double[] {4, 1, 3, 0})), EPS);
    }

    @Test
    void removalWeightPoolsTheGroups() {
        // a {2, 2, 8} keeps {2}; b {1, 3} keeps {1}: removed (2 + 2 + 1) / 3, kept (8 + 3) / 2
        double rho = RemovalWeight.ratio(ab(ints(2), ints(1)), scores(new double[] {2, 2, 8}, new double[] {1, 3}));
        assertEquals((5.0 / 3) / 5.5, rho, EPS);
        assertEquals(rho, Candidate.of(ab(ints(2), ints(1)),
                new GroupScores(scores(new double[] {2, 2, 8}, new double[] {1, 3}))).removalWeightRatio(), 0);
    }

    @Test
    void removalWeightOfAMaskThatRemovesNothingOrOnlyZerosIsZero() {
        assertEquals(0.0, RemovalWeight.ratio(g(0, 1), Map.of("g", new double[] {3, 5})), 0);
        assertEquals(0.0, RemovalWeight.ratio(g(1), Map.of("g", new double[] {0, 5})), 0);
        assertEquals(Double.POSITIVE_INFINITY, RemovalWeight.ratio(g(1), Map.of("g", new double[] {2, 0})), 0);
    }

    @Test
    void removalWeightRejectsBadScores() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemovalWeight.ratio(g(0), Map.of("g", new double[] {1, -2})));
        assertEquals("Invalid score -2.0 of channel g:1: the removal weight needs finite scores >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RemovalWeight.ratio(g(0, 3), Map.of("g", new double[] {1, 2})));
        assertEquals("Mask keeps channel 3 of group 'g', which has 2 scores", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RemovalWeight.ratio(g(0), Map.of("h", new double[] {1})));
    }

    @Test
    void aCandidateNeedsANonNegativeRatio() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Candidate(g(0), Double.NaN));
        assertEquals("Invalid removal weight ratio NaN: must be >= 0", e.getMessage());
    }
}
