package org.ocsp.modelops.stability;

import java.util.Map;
import java.util.Objects;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * churn_t: the share of the channels a sub-network removes that the previous epoch's sub-network
 * kept, sum over groups |K_{t-1,g} \ K_{t,g}| / sum over groups (width_g - |K_{t,g}|). 0 when
 * M_t is M_{t-1}, 1 when M_t removes only channels M_{t-1} kept. The ADAPTIVE rules start the
 * penalty when it is small and stop when it is smaller still. Scale-free: a share of the channels
 * to remove, whatever the network's size, the schedule's length or the target.
 *
 * <pre>{@code
 * // width 4: M_{t-1} keeps {0, 1}, M_t keeps {0, 2}: channel 1 newly removed, of the 2 removed
 * double churn = SelectionChurn.of(previous, current, Map.of("g", 4));     // 1 / 2
 * }</pre>
 */
public final class SelectionChurn {
    private SelectionChurn() {
    }

    /**
     * @param widths each group's original channel count
     * @return the churn, 0 when {@code current} removes nothing
     * @throws IllegalArgumentException if the masks' groups differ or a group has no width
     */
    public static double of(SubnetworkMask previous, SubnetworkMask current, Map<String, Integer> widths) {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(widths, "widths");
        Jaccard.requireSameGroups(previous.groupIds(), current.groupIds());
        long newlyRemoved = 0;
        long removed = 0;
        for (Map.Entry<String, int[]> g : current.asMap().entrySet()) {
            Integer width = widths.get(g.getKey());
            if (width == null) {
                throw new IllegalArgumentException("No width for group '" + g.getKey() + "': churn counts the channels "
                        + "a mask removes, got widths for " + widths.keySet());
            }
            int[] kept = g.getValue();
            removed += width - kept.length;
            newlyRemoved += keptButNot(previous.kept(g.getKey()), kept);
        }
        return removed == 0 ? 0.0 : (double) newlyRemoved / removed;
    }

    /** |a \ b| of two ascending index sets. */
    private static long keptButNot(int[] a, int[] b) {
        long count = 0;
        int j = 0;
        for (int v : a) {
            while (j < b.length && b[j] < v) {
                j++;
            }
            if (j >= b.length || b[j] != v) {
                count++;
            }
        }
        return count;
    }
}
