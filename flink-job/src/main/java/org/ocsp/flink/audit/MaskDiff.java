package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.selection.SubnetworkMask;

/** The channels of one group that two masks treat differently (one keeps, the other removes). */
final class MaskDiff {
    private MaskDiff() {
    }

    /** Original indices of {@code group}'s channels kept by exactly one of the masks, ascending. */
    static List<Integer> channels(ChannelGroup group, SubnetworkMask a, SubnetworkMask b) {
        boolean[] inA = kept(a.kept(group.id()), group.width());
        boolean[] inB = kept(b.kept(group.id()), group.width());
        List<Integer> differ = new ArrayList<>();
        for (int c = 0; c < inA.length; c++) {
            if (inA[c] != inB[c]) {
                differ.add(c);
            }
        }
        return differ;
    }

    /** How many channels of all {@code groups} the masks treat differently. */
    static int count(List<ChannelGroup> groups, SubnetworkMask a, SubnetworkMask b) {
        return groups.stream().mapToInt(g -> channels(g, a, b).size()).sum();
    }

    private static boolean[] kept(int[] kept, int width) {
        boolean[] f = new boolean[width];
        for (int i : kept) {
            f[i] = true;
        }
        return f;
    }
}
