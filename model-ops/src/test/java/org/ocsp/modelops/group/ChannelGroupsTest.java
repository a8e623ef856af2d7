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

    @Test
    void theClassifierIsWhateverProducesTheOutputNotALinearAsWideAsTheClasses() {
        // A hidden linear layer 10 wide in a 10-class network is an ordinary prunable layer.
        NetworkGraph hidden = NetworkGraph.builder("hidden-ten", new LayerSpec.Input(3, 4, 4))
                .add("c1", new LayerSpec.Conv2d(3, 6, 3, 1, 1, 1, false))
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("flat", new LayerSpec.Flatten())
                .add("fc1", new LayerSpec.Linear(6, 10, true))
                .add("r", new LayerSpec.Relu())
                .add("fc2", new LayerSpec.Linear(10, 10, true))
                .build();
        Map<String, ChannelGroup> g = byId(ChannelGroups.derive(hidden));
        assertTrue(g.containsKey("fc1"), "fc1 is not a group: " + g.keySet());
        assertEquals(List.of("fc1:OUT", "fc2:IN"), members(g.get("fc1")), g.keySet().toString());
        // An all-conv network's classes come out of a 1x1 conv through pooling and flatten: never pruned.
        NetworkGraph allConv = NetworkGraph.builder("all-conv", new LayerSpec.Input(3, 4, 4))
                .add("c1", new LayerSpec.Conv2d(3, 6, 3, 1, 1, 1, false))
                .add("b1", new LayerSpec.BatchNorm(6))
                .add("r1", new LayerSpec.Relu())
                .add("cls", new LayerSpec.Conv2d(6, 10, 1, 1, 0, 1, true))
                .add("gap", new LayerSpec.GlobalAvgPool())
                .add("flat", new LayerSpec.Flatten())
                .build();
        assertEquals(List.of("c1"), ChannelGroups.derive(allConv).stream().map(ChannelGroup::id).collect(Collectors.toList()));
    }

    @Test
    void thePerChannelOpsOfAFlattenedMapBlockItsChannels() {
        // BN over flattened features normalises columns, not channels: c1's channels cannot be removed.
        NetworkGraph graph = NetworkGraph.builder("bn-after-flatten", new LayerSpec.Input(3, 2, 2))
                .add("c1", new LayerSpec.Conv2d(3, 6, 1, 1, 0, 1, false))
                .add("flat", new LayerSpec.Flatten())
                .add("bn", new LayerSpec.BatchNorm(24))
                .add("fc", new LayerSpec.Linear(24, 10, true))
                .build();
        assertEquals(List.of(), ChannelGroups.derive(graph));
    }

    @Test
    void theNetworkInputIsInNoGroup() {
        assertTrue(ChannelGroups.derive(SmallGraphs.residual()).stream().flatMap(g -> g.members().stream())
                .noneMatch(m -> m.layer().value().equals("conv1") && m.side() == Side.IN));
    }

    @Test
    void everyLayerKindHasOneNamedRule() {
        assertEquals(CouplingRule.NETWORK_INPUT, CouplingRule.of(new LayerSpec.Input(3, 4, 4)));
        assertEquals(CouplingRule.DEPTHWISE_CONV, CouplingRule.of(new LayerSpec.Conv2d(4, 4, 3, 1, 1, 4, false)));
        assertEquals(CouplingRule.GROUPED_CONV, CouplingRule.of(new LayerSpec.Conv2d(4, 8, 3, 1, 1, 4, false)),
                "a depthwise conv that multiplies its channels");
        assertEquals(CouplingRule.GROUPED_CONV, CouplingRule.of(new LayerSpec.Conv2d(4, 6, 3, 1, 1, 2, false)));
        assertEquals(CouplingRule.CONV, CouplingRule.of(new LayerSpec.Conv2d(4, 6, 3, 1, 1, 1, false)));
        assertEquals(CouplingRule.LINEAR, CouplingRule.of(new LayerSpec.Linear(4, 6, true)));
        assertEquals(CouplingRule.BATCH_NORM, CouplingRule.of(new LayerSpec.BatchNorm(4)));
        for (LayerSpec s : List.of(new LayerSpec.Relu(), new LayerSpec.MaxPool(2, 2, 0), new LayerSpec.AvgPool(2, 2),
                new LayerSpec.GlobalAvgPool())) {
            assertEquals(CouplingRule.CHANNELWISE, CouplingRule.of(s), s.type());
        }
        assertEquals(CouplingRule.RESIDUAL_ADD, CouplingRule.of(new LayerSpec.Add()));
        assertEquals(CouplingRule.FLATTEN, CouplingRule.of(new LayerSpec.Flatten()));
    }
}
