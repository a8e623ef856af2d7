package org.ocsp.modelops.train;

import java.util.Map;
import org.ocsp.modelops.selection.SubnetworkMask;

/** What a surgery did: channel counts per group before and after, and the cost change. */
public record PruneResult(SubnetworkMask keptOriginal, Map<String, Integer> widthsBefore, Map<String, Integer> widthsAfter,
                          long flopsBefore, long flopsAfter, long paramsBefore, long paramsAfter) {
    public PruneResult {
        widthsBefore = Map.copyOf(widthsBefore);
        widthsAfter = Map.copyOf(widthsAfter);
    }
}
