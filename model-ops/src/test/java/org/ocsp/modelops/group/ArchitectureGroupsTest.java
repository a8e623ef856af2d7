package org.ocsp.modelops.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.arch.CifarResNet;
import org.ocsp.modelops.arch.ImageNetResNet;
import org.ocsp.modelops.arch.Vgg;

/** Groups derived for the real architectures, checked against their known structure. */
class ArchitectureGroupsTest {
    private static Map<String, ChannelGroup> byId(List<ChannelGroup> groups) {
        return groups.stream().collect(Collectors.toMap(ChannelGroup::id, g -> g));
    }

    @Test
    void vgg16HasOneGroupPerConvAndLeavesTheClassifierAlone() {
        List<ChannelGroup> groups = ChannelGroups.derive(Vgg.cifar16(10));
        assertEquals(13, groups.size());
        for (ChannelGroup g : groups) {
            assertEquals(Side.OUT, g.root().side());
            assertEquals(3, g.members().size(), g.id() + " " + g.members()); // conv, BN, next consumer
        }
        assertEquals(512, groups.get(12).width());
        assertTrue(groups.get(12).members().get(2).layer().value().equals("classifier"));
    }

    @Test
    void resnet56HasOneGroupPerResidualStreamPlusOnePerBlockInterior() {
        List<ChannelGroup> groups = ChannelGroups.derive(CifarResNet.resnet56(10));
        // 27 blocks with one inner group each, and 3 residual streams (16, 32, 64 wide).
        assertEquals(27 + 3, groups.size());
        List<ChannelGroup> streams = groups.stream()
                .filter(g -> g.members().stream().filter(m -> m.side() == Side.OUT).count() > 1)
                .collect(Collectors.toList());
        assertEquals(List.of(16, 32, 64), streams.stream().map(ChannelGroup::width).collect(Collectors.toList()));
        // Stage 1 stream: stem conv + 9 block second convs write it; 9 first convs + stage-2 entry read it.
        ChannelGroup s1 = streams.get(0);
        assertEquals(10, s1.members().stream().filter(m -> m.side() == Side.OUT).count());
        assertEquals(10, s1.members().stream().filter(m -> m.side() == Side.BN).count());
        assertEquals(11, s1.members().stream().filter(m -> m.side() == Side.IN).count());
        // Stage 3 stream ends in the classifier's input columns.
        assertTrue(streams.get(2).members().stream().anyMatch(m -> m.layer().value().equals("fc") && m.side() == Side.IN));
    }

    @Test
    void resnet50BottlenecksCoupleExpansionConvsAndDownsamplesOfAStage() {
        Map<String, ChannelGroup> g = byId(ChannelGroups.derive(ImageNetResNet.resnet50(1000)));
        // 16 bottlenecks x 2 inner groups + stem stream + 4 stage streams.
        assertEquals(16 * 2 + 1 + 4, g.size());
        ChannelGroup stage1 = g.get("layer1.0.conv3");
        assertEquals(256, stage1.width());
        List<String> writers = stage1.members().stream().filter(m -> m.side() == Side.OUT)
                .map(m -> m.layer().value()).collect(Collectors.toList());
        assertEquals(List.of("layer1.0.conv3", "layer1.0.downsample.0", "layer1.1.conv3", "layer1.2.conv3"), writers);
        assertEquals(64, g.get("layer1.0.conv1").width());
        assertEquals(List.of("layer1.0.conv1:OUT", "layer1.0.bn1:BN", "layer1.0.conv2:IN"),
                g.get("layer1.0.conv1").members().stream().map(GroupMember::toString).collect(Collectors.toList()));
        // The stem (conv1 -> maxpool) feeds layer1.0.conv1 and the first downsample only.
        assertEquals(List.of("conv1:OUT", "bn1:BN", "layer1.0.conv1:IN", "layer1.0.downsample.0:IN"),
                g.get("conv1").members().stream().map(GroupMember::toString).collect(Collectors.toList()));
    }
}
