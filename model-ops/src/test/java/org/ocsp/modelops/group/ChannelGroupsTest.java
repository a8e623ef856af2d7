package org.ocsp.modelops.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.testing.SmallGraphs;

class ChannelGroupsTest {
    private static Map<String, ChannelGroup> byId(List<ChannelGroup> groups) {
        return groups.stream().collect(Collectors.toMap(ChannelGroup::id, g -> g));
    }

    private static List<String> members(ChannelGroup g) {
        return g.members().stream().map(GroupMember::toString).collect(Collectors.toList());
    }

    @Test
    void plainChainGroupsProducerBatchNormAndConsumerAndMapsFlattenColumns() {
        List<ChannelGroup> groups = ChannelGroups.derive(SmallGraphs.vggWithFlatten());
        assertEquals(List.of("c1", "c2", "fc1"), groups.stream().map(ChannelGroup::id).collect(Collectors.toList()));
        Map<String, ChannelGroup> g = byId(groups);
        assertEquals(List.of("c1:OUT", "b1:BN", "c2:IN"), members(g.get("c1")));
        assertEquals(List.of("c2:OUT", "b2:BN", "fc1:INx4"), members(g.get("c2")));
        assertEquals(List.of("fc1:OUT", "fc2:IN"), members(g.get("fc1")));
        assertEquals(12, g.get("fc1").width());
    }

    @Test
    void classifierIsNeverPrunable() {
        List<ChannelGroup> groups = ChannelGroups.derive(SmallGraphs.vggWithFlatten());
        assertTrue(groups.stream().flatMap(g -> g.members().stream())
                .noneMatch(m -> m.layer().value().equals("fc2") && m.side() == Side.OUT));
    }

    @Test
    void residualAddMergesEveryWriterOfAStreamIntoOneGroup() {
        Map<String, ChannelGroup> g = byId(ChannelGroups.derive(SmallGraphs.residual()));
        assertEquals(4, g.size(), g.keySet().toString());
        assertEquals(List.of("conv1:OUT", "bn1:BN", "l1.conv1:IN", "l1.conv2:OUT", "l1.bn2:BN", "l2.conv1:IN", "l2.down:IN"),
                members(g.get("conv1")));
        assertEquals(List.of("l2.conv2:OUT", "l2.bn2:BN", "l2.down:OUT", "l2.downbn:BN", "fc:IN"), members(g.get("l2.conv2")));
        assertEquals(List.of("l1.conv1:OUT", "l1.bn1:BN", "l1.conv2:IN"), members(g.get("l1.conv1")));
    }

    @Test
    void depthwiseConvCouplesItsInputAndOutputChannels() {
        Map<String, ChannelGroup> g = byId(ChannelGroups.derive(SmallGraphs.depthwise()));
        assertEquals(List.of("c1:OUT", "b1:BN", "dw:DEPTHWISE", "b2:BN", "pw:IN"), members(g.get("c1")));
        assertEquals(List.of("pw:OUT", "b3:BN", "fc:IN"), members(g.get("pw")));
        assertEquals(2, g.size());
    }

    @Test
    void groupedConvBlocksTheChannelsItReadsAndWrites() {
        NetworkGraph graph = NetworkGraph.builder("grouped", new LayerSpec.Input(3, 8, 8))
                .add("c1", new LayerSpec.Conv2d(3, 4, 3, 1, 1, 1, false))
                .add("g", new LayerSpec.Conv2d(4, 6, 3, 1, 1, 2, false))
                .add("c3", new LayerSpec.Conv2d(6, 5, 3, 1, 1, 1, false))
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("flat", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(5, 10, true))
                .build();
        assertEquals(List.of("c3"), ChannelGroups.derive(graph).stream().map(ChannelGroup::id).collect(Collectors.toList()));
    }
}
