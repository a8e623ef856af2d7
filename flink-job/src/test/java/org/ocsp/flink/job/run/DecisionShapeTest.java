package org.ocsp.flink.job.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;

class DecisionShapeTest {
    private final List<ChannelGroup> groups = ChannelGroups.derive(
            Architectures.byName("fashion-vgg", 10, new LayerSpec.Input(1, 28, 28)));

    private Map<String, int[]> whole() {
        Map<String, int[]> kept = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            kept.put(g.id(), java.util.stream.IntStream.range(0, g.width()).toArray());
        }
        return kept;
    }

    private Optional<String> problemWith(String group, int[] kept) {
        Map<String, int[]> m = whole();
        m.put(group, kept);
        return DecisionShape.problem(new Decision.Mask(3, m), () -> groups);
    }

    @Test
    void aMaskOfEveryGroupWithAscendingIndicesFits() {
        assertEquals(Optional.empty(), DecisionShape.problem(new Decision.Mask(3, whole()), () -> groups));
        assertEquals(Optional.empty(), DecisionShape.problem(new Decision.Prune(3, whole()), () -> groups));
        assertEquals(Optional.empty(), DecisionShape.problem(new Decision.Penalty(3, 0.1), () -> groups));
    }

    @Test
    void duplicateOutOfRangeAndUnorderedIndicesAndEmptyGroupsAreRefused() {
        ChannelGroup g = groups.get(0);
        String range = " are not strictly ascending inside [0, " + g.width() + ")";
        assertEquals(Optional.of("the mask's kept channels of group " + g.id() + " [0, 0, 1]" + range),
                problemWith(g.id(), new int[] {0, 0, 1}));
        assertEquals(Optional.of("the mask's kept channels of group " + g.id() + " [1, " + g.width() + "]" + range),
                problemWith(g.id(), new int[] {1, g.width()}));
        assertEquals(Optional.of("the mask's kept channels of group " + g.id() + " [-1, 2]" + range),
                problemWith(g.id(), new int[] {-1, 2}));
        assertEquals(Optional.of("the mask's kept channels of group " + g.id() + " [2, 1]" + range),
                problemWith(g.id(), new int[] {2, 1}));
        assertEquals(Optional.of("the mask keeps no channel of group " + g.id()), problemWith(g.id(), new int[0]));
    }

    @Test
    void missingAndUnknownGroupsAreRefused() {
        Map<String, int[]> m = whole();
        m.remove(groups.get(1).id());
        m.put("features.99", new int[] {0});
        Optional<String> p = DecisionShape.problem(new Decision.Prune(4, m), () -> groups);
        assertEquals(true, p.orElseThrow().startsWith("the mask's groups "), p.toString());
    }
}
