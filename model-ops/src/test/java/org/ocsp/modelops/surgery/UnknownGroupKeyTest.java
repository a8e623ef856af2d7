package org.ocsp.modelops.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ocsp.modelops.engine.Initializer;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.group.GraphResizer;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.testing.SmallGraphs;

/** A misspelt group id must fail loudly: silently ignored, it would prune nothing. */
class UnknownGroupKeyTest {
    private final NetworkGraph graph = SmallGraphs.vggWithFlatten();
    private final List<ChannelGroup> groups = ChannelGroups.derive(graph);

    @Test
    void aWidthMapWithAnUnknownKeyIsRejectedWithTheKnownGroups() {
        ChannelGroup first = groups.get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphResizer.withWidths(graph, groups, Map.of(first.id() + "x", 1)));
        assertTrue(e.getMessage().startsWith("Unknown group '" + first.id() + "x' in the width map: the groups are ["
                + first.id()), e.getMessage());
    }

    @Test
    void aMaskWithAnUnknownKeyIsRejectedBeforeAnythingIsCut() {
        ChannelGroup first = groups.get(0);
        SubnetworkMask mask = SubnetworkMask.builder().put(first.id(), new int[] {0}).put("no-such-group", new int[] {0})
                .build();
        try (ParameterStore dense = ParameterStore.allocate(graph, DataType.FLOAT)) {
            new Initializer(5).initialize(graph, dense);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChannelSurgery.apply(graph, dense, groups, mask));
            assertEquals("Unknown group 'no-such-group' in the mask: the groups are "
                    + groups.stream().map(ChannelGroup::id).toList(), e.getMessage());
        }
    }

    @Test
    void knownKeysStillPrune() {
        ChannelGroup first = groups.get(0);
        NetworkGraph smaller = GraphResizer.withWidths(graph, groups, Map.of(first.id(), 1));
        assertTrue(ChannelGroups.derive(smaller).stream().anyMatch(g -> g.id().equals(first.id()) && g.width() == 1));
    }
}
