package org.ocsp.modelops.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocsp.modelops.stability.Masks.ab;
import static org.ocsp.modelops.stability.Masks.ints;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.selection.SubnetworkMask;

class JaccardTest {
    private static final double EPS = 1e-12;

    @Test
    void overlappingSetsGiveIntersectionOverUnion() {
        // {0,1,2} n {1,2,3} = {1,2}; union = {0,1,2,3}
        assertEquals(0.5, Jaccard.of(ints(0, 1, 2), ints(1, 2, 3)), EPS);
        // {0,2,4,6} n {2,3} = {2}; union = {0,2,3,4,6}
        assertEquals(0.2, Jaccard.of(ints(0, 2, 4, 6), ints(2, 3)), EPS);
    }

    @Test
    void identicalDisjointAndEmptySets() {
        assertEquals(1.0, Jaccard.of(ints(3, 5), ints(3, 5)), EPS);
        assertEquals(0.0, Jaccard.of(ints(0, 1), ints(2, 3)), EPS);
        assertEquals(1.0, Jaccard.of(ints(), ints()), EPS);
        assertEquals(0.0, Jaccard.of(ints(), ints(7)), EPS);
    }

    @Test
    void unsortedOrNegativeIndicesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jaccard.of(ints(2, 1), ints(1)));
        assertEquals("Invalid first index set [2, 1]: must be strictly ascending and non-negative", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Jaccard.of(ints(1), ints(-1, 0)));
        assertEquals("Invalid second index set [-1, 0]: must be strictly ascending and non-negative", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Jaccard.of(ints(1, 1), ints(1)));
    }

    @Test
    void perGroupFollowsTheFirstMasksGroupOrder() {
        SubnetworkMask first = ab(ints(0, 1, 2), ints(0));
        SubnetworkMask second = SubnetworkMask.builder().put("b", ints(0, 1, 2, 3)).put("a", ints(1, 2, 3)).build();
        Map<String, Double> perGroup = Jaccard.perGroup(first, second);
        assertEquals(List.of("a", "b"), List.copyOf(perGroup.keySet()));
        assertEquals(0.5, perGroup.get("a"), EPS);   // 2 / 4
        assertEquals(0.25, perGroup.get("b"), EPS);  // 1 / 4
    }

    @Test
    void perGroupRejectsMasksWithDifferentGroups() {
        SubnetworkMask first = ab(ints(0), ints(0));
        SubnetworkMask second = SubnetworkMask.builder().put("a", ints(0)).put("c", ints(0)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jaccard.perGroup(first, second));
        assertEquals("Masks have different groups: only in first [b], only in second [c]; "
                + "Jaccard similarity needs the same group ids", e.getMessage());
    }

    @Test
    void unweightedMeanCountsEveryGroupOnce() {
        Map<String, Double> perGroup = ordered("a", 0.5, "b", 0.25);
        assertEquals(0.375, Jaccard.mean(perGroup), EPS);
        assertEquals(0.375, Jaccard.average(perGroup, JaccardAveraging.UNWEIGHTED, Map.of()), EPS);
    }

    @Test
    void weightedMeanWeighsGroupsByOriginalWidth() {
        Map<String, Double> perGroup = ordered("a", 0.5, "b", 0.25);
        Map<String, Integer> widths = Map.of("a", 4, "b", 12);
        // (4 * 0.5 + 12 * 0.25) / 16 = 5 / 16
        assertEquals(0.3125, Jaccard.weightedMean(perGroup, widths), EPS);
        assertEquals(0.3125, Jaccard.average(perGroup, JaccardAveraging.WEIGHTED, widths), EPS);
    }

    @Test
    void weightedMeanNeedsAWidthForEveryGroup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jaccard.weightedMean(ordered("a", 0.5, "b", 0.25), Map.of("a", 4)));
        assertTrue(e.getMessage().startsWith("No original width for group 'b'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Jaccard.weightedMean(ordered("a", 0.5, "b", 0.25), Map.of("a", 4, "b", 0)));
        assertEquals("Invalid width 0 for group 'b': must be > 0", e.getMessage());
    }

    @Test
    void averagingOverZeroGroupsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jaccard.mean(Map.of()));
        assertEquals("Cannot average Jaccard similarity over zero groups", e.getMessage());
    }

    private static Map<String, Double> ordered(String k1, double v1, String k2, double v2) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
