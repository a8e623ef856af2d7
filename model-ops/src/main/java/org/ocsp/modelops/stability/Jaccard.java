package org.ocsp.modelops.stability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * Jaccard similarity of kept-channel sets, per group and averaged over groups. Pure functions.
 *
 * <pre>{@code
 * double j = Jaccard.of(new int[] {0, 1, 2}, new int[] {1, 2, 3});          // 2 / 4 = 0.5
 * Map<String, Double> perGroup = Jaccard.perGroup(olderMask, newerMask);    // in olderMask's group order
 * double s = Jaccard.average(perGroup, JaccardAveraging.UNWEIGHTED, Map.of());
 * }</pre>
 */
public final class Jaccard {
    private Jaccard() {
    }

    /**
     * |A n B| / |A u B| of two strictly ascending, non-negative index sets. Two empty sets are
     * identical, so their similarity is 1.0 (not 0/0).
     */
    public static double of(int[] a, int[] b) {
        requireSortedSet("first", a);
        requireSortedSet("second", b);
        if (a.length == 0 && b.length == 0) {
            return 1.0;
        }
        int i = 0;
        int j = 0;
        int intersection = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                intersection++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = a.length + b.length - intersection;
        return (double) intersection / union;
    }

    /**
     * Jaccard similarity of every group, keyed by group id in {@code first}'s group order.
     *
     * @throws IllegalArgumentException if the two masks do not have the same group ids
     */
    public static Map<String, Double> perGroup(SubnetworkMask first, SubnetworkMask second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        requireSameGroups(first.groupIds(), second.groupIds());
        Map<String, int[]> a = first.asMap();
        Map<String, int[]> b = second.asMap();
        Map<String, Double> result = new LinkedHashMap<>();
        a.forEach((group, kept) -> result.put(group, of(kept, b.get(group))));
        return Collections.unmodifiableMap(result);
    }

    /** Unweighted mean over groups (the reference's s_t). */
    public static double mean(Map<String, Double> perGroup) {
        requireNonEmpty(perGroup);
        double sum = 0.0;
        for (double v : perGroup.values()) {
            sum += v;
        }
        return sum / perGroup.size();
    }

    /**
     * Mean over groups weighted by each group's original width, so that large groups count in
     * proportion to the channels they hold.
     *
     * @throws IllegalArgumentException if a group has no width or a width is not positive
     */
    public static double weightedMean(Map<String, Double> perGroup, Map<String, Integer> groupWidths) {
        requireNonEmpty(perGroup);
        Objects.requireNonNull(groupWidths, "groupWidths");
        double weighted = 0.0;
        long totalWidth = 0;
        for (Map.Entry<String, Double> e : perGroup.entrySet()) {
            Integer width = groupWidths.get(e.getKey());
            if (width == null) {
                throw new IllegalArgumentException("No original width for group '" + e.getKey()
                        + "': weighted Jaccard averaging needs the width of every group, got widths for "
                        + groupWidths.keySet());
            }
            if (width <= 0) {
                throw new IllegalArgumentException("Invalid width " + width + " for group '" + e.getKey() + "': must be > 0");
            }
            weighted += width * e.getValue();
            totalWidth += width;
        }
        return weighted / totalWidth;
    }

    /** {@link #mean} or {@link #weightedMean}, as chosen by {@code averaging}. */
    public static double average(Map<String, Double> perGroup, JaccardAveraging averaging,
            Map<String, Integer> groupWidths) {
        Objects.requireNonNull(averaging, "averaging");
        return averaging == JaccardAveraging.WEIGHTED ? weightedMean(perGroup, groupWidths) : mean(perGroup);
    }

    static void requireSameGroups(Set<String> first, Set<String> second) {
        if (first.equals(second)) {
            return;
        }
        List<String> onlyFirst = new ArrayList<>(first);
        onlyFirst.removeAll(second);
        List<String> onlySecond = new ArrayList<>(second);
        onlySecond.removeAll(first);
        throw new IllegalArgumentException("Masks have different groups: only in first " + onlyFirst
                + ", only in second " + onlySecond + "; Jaccard similarity needs the same group ids");
    }

    private static void requireNonEmpty(Map<String, Double> perGroup) {
        Objects.requireNonNull(perGroup, "perGroup");
        if (perGroup.isEmpty()) {
            throw new IllegalArgumentException("Cannot average Jaccard similarity over zero groups");
        }
    }

    private static void requireSortedSet(String which, int[] set) {
        Objects.requireNonNull(set, which);
        for (int i = 0; i < set.length; i++) {
            if (set[i] < 0 || (i > 0 && set[i] <= set[i - 1])) {
                throw new IllegalArgumentException("Invalid " + which + " index set " + java.util.Arrays.toString(set)
                        + ": must be strictly ascending and non-negative");
            }
        }
    }
}
