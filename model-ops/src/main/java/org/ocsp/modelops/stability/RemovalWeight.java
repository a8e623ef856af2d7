package org.ocsp.modelops.stability;

import java.util.Map;
import java.util.Objects;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * rho, the removal weight ratio of a sub-network: the mean score of the channels it removes divided
 * by the mean score of the channels it keeps, pooled over all groups. The ADAPTIVE rules steer the
 * penalty by it and stop when it is negligible. A pure function of a mask and the scores it was
 * selected from, so the audit recomputes it from a logged MaskSnapshot (kept channels, float32 scores).
 *
 * <pre>{@code
 * // group "g": scores {4, 1, 3, 0}, keeps {0, 2}: removed mean (1 + 0) / 2, kept mean (4 + 3) / 2
 * double rho = RemovalWeight.ratio(mask, scores);        // 0.5 / 3.5 = 1/7
 * tracker.stepScored(t, () -> new Candidate(mask, rho));
 * }</pre>
 * Sums run in the mask's group order and ascending channel order in double precision, so every
 * caller with the same inputs gets the same bits.
 */
public final class RemovalWeight {
    private RemovalWeight() {
    }

    /**
     * rho of {@code mask} under {@code scores}: 0 when the mask removes nothing; +infinity when every
     * kept channel scores 0 but a removed one does not. Groups of {@code scores} that the mask does
     * not name are not counted.
     *
     * @throws IllegalArgumentException if a group of the mask has no scores, keeps an index beyond its
     *     scores, a score is negative or not finite, or the mask keeps no channel at all
     */
    public static double ratio(SubnetworkMask mask, GroupScores scores) {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(scores, "scores");
        double keptSum = 0;
        double removedSum = 0;
        long keptCount = 0;
        long removedCount = 0;
        for (Map.Entry<String, int[]> g : mask.asMap().entrySet()) {
            double[] s = scores.of(g.getKey());
            int[] kept = g.getValue();
            if (kept.length > 0 && kept[kept.length - 1] >= s.length) {
                throw new IllegalArgumentException("Mask keeps channel " + kept[kept.length - 1] + " of group '"
                        + g.getKey() + "', which has " + s.length + " scores");
            }
            int k = 0;
            for (int c = 0; c < s.length; c++) {
                if (!(s[c] >= 0 && Double.isFinite(s[c]))) {
                    throw new IllegalArgumentException("Invalid score " + s[c] + " of channel " + g.getKey() + ":" + c
                            + ": the removal weight needs finite scores >= 0");
                }
                if (k < kept.length && kept[k] == c) {
                    keptSum += s[c];
                    keptCount++;
                    k++;
                } else {
                    removedSum += s[c];
                    removedCount++;
                }
            }
        }
        if (keptCount == 0) {
            throw new IllegalArgumentException("Mask " + mask + " keeps no channel: the removal weight is relative to "
                    + "the kept channels");
        }
        if (removedCount == 0 || removedSum == 0) {
            return 0.0;
        }
        double keptMean = keptSum / keptCount;
        return keptMean == 0 ? Double.POSITIVE_INFINITY : (removedSum / removedCount) / keptMean;
    }

    /** {@link #ratio(SubnetworkMask, GroupScores)} with the scores per group id, e.g. read from a log. */
    public static double ratio(SubnetworkMask mask, Map<String, double[]> scores) {
        return ratio(mask, new GroupScores(scores));
    }
}
