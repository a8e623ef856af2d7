package org.ocsp.flink.job.run;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.ocsp.modelops.group.ChannelGroup;

/**
 * Whether a decision's mask fits the run's dense architecture: one entry per group, each keeping
 * at least one channel, its original indices strictly ascending inside the group's width. Checked
 * before a decision read back from the log is applied or saved, so a malformed mask is a dead
 * letter and not state that every restore fails on again.
 *
 * <pre>{@code
 * Optional<String> problem = DecisionShape.problem(decision, () -> ChannelGroups.derive(graph));
 * }</pre>
 */
public final class DecisionShape {
    private DecisionShape() {
    }

    /** What is wrong with the decision's mask, if it carries one; the groups are derived only then. */
    public static Optional<String> problem(Decision d, Supplier<List<ChannelGroup>> denseGroups) {
        Map<String, int[]> kept;
        if (d instanceof Decision.Mask m) {
            kept = m.kept();
        } else if (d instanceof Decision.Prune p) {
            kept = p.kept();
        } else {
            return Optional.empty();
        }
        List<ChannelGroup> groups = denseGroups.get();
        List<String> want = groups.stream().map(ChannelGroup::id).toList();
        if (!kept.keySet().equals(Set.copyOf(want))) {
            return Optional.of("the mask's groups " + kept.keySet() + " are not the architecture's groups " + want);
        }
        for (ChannelGroup g : groups) {
            int[] k = kept.get(g.id());
            if (k.length == 0) {
                return Optional.of("the mask keeps no channel of group " + g.id());
            }
            for (int i = 0; i < k.length; i++) {
                if (k[i] < 0 || k[i] >= g.width() || i > 0 && k[i] <= k[i - 1]) {
                    return Optional.of("the mask's kept channels of group " + g.id() + " " + Arrays.toString(k)
                            + " are not strictly ascending inside [0, " + g.width() + ")");
                }
            }
        }
        return Optional.empty();
    }
}
