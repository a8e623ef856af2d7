package org.ocsp.modelops.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.modelops.arch.CifarResNet;
import org.ocsp.modelops.arch.ImageNetResNet;
import org.ocsp.modelops.arch.Vgg;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.group.GraphResizer;
import org.ocsp.modelops.saliency.GroupScores;

class SubnetworkSelectorTest {
    private static double flops(NetworkGraph g) {
        return CostModel.of(g).flops();
    }

    private static GroupScores randomScores(List<ChannelGroup> groups, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, double[]> m = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            m.put(g.id(), r.doubles(g.width()).toArray());
        }
        return new GroupScores(m);
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("vgg16-cifar", Vgg.cifar16(10), 0.3),
                Arguments.of("vgg16-cifar", Vgg.cifar16(10), 0.6),
                Arguments.of("resnet18", ImageNetResNet.resnet18(1000), 0.45),
                Arguments.of("resnet50", ImageNetResNet.resnet50(1000), 0.43),
                Arguments.of("resnet50", ImageNetResNet.resnet50(1000), 0.57),
                Arguments.of("resnet110", CifarResNet.resnet110(10), 0.5));
    }

    @ParameterizedTest(name = "{0} target {2}")
    @MethodSource("targets")
    void binarySearchHitsTheFlopsTargetWithinTolerance(String name, NetworkGraph graph, double target) {
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        SubnetworkSelector sel = new SubnetworkSelector(graph, groups, SubnetworkSelectorTest::flops, PruningLimit.reference());
        Selection s = sel.select(randomScores(groups, 17), target);
        assertTrue(Math.abs(s.reduction() - target) <= 5e-4, name + ": reduction " + s.reduction() + " for target " + target);
        assertTrue(s.meets(target, SubnetworkSelector.REFERENCE_TOLERANCE), name);
        assertReportsTheMaskedGraphsFlops(graph, groups, s);
    }

    @Test
    void protectedTopChannelsAreNeverPrunedEvenAtAnExtremeTarget() {
        NetworkGraph graph = CifarResNet.resnet20(10);
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        GroupScores scores = randomScores(groups, 3);
        Selection s = new SubnetworkSelector(graph, groups, SubnetworkSelectorTest::flops, PruningLimit.reference())
                .select(scores, 0.99);
        assertFalse(s.meets(0.99, SubnetworkSelector.REFERENCE_TOLERANCE), "the limits leave " + s.reduction());
        for (ChannelGroup g : groups) {
            int minKept = g.width() - PruningLimit.reference().maxPrunable(g.width());
            assertEquals(minKept, s.mask().keptCount(g.id()), g.id());
            double[] sc = scores.of(g.id());
            double lowestKept = Double.MAX_VALUE;
            for (int c : s.mask().kept(g.id())) {
                lowestKept = Math.min(lowestKept, sc[c]);
            }
            for (int c = 0; c < g.width(); c++) {
                final int ch = c;
                boolean kept = java.util.Arrays.stream(s.mask().kept(g.id())).anyMatch(k -> k == ch);
                if (!kept) {
                    assertTrue(sc[c] <= lowestKept, "pruned channel scored above a kept one in " + g.id());
                }
            }
        }
    }

    @Test
    void lowestScoredChannelsGoFirstAcrossGroups() {
        NetworkGraph graph = Vgg.cifar16(10);
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        Map<String, double[]> m = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            // Every channel of the last group is less important than any other channel.
            double base = g == groups.get(groups.size() - 1) ? 0 : 10;
            double[] s = new double[g.width()];
            for (int c = 0; c < s.length; c++) {
                s[c] = base + c * 1e-3;
            }
            m.put(g.id(), s);
        }
        Selection s = new SubnetworkSelector(graph, groups, SubnetworkSelectorTest::flops, PruningLimit.reference())
                .select(new GroupScores(m), 0.001);
        ChannelGroup last = groups.get(groups.size() - 1);
        assertTrue(s.mask().keptCount(last.id()) < last.width());
        for (ChannelGroup g : groups.subList(0, groups.size() - 1)) {
            assertEquals(g.width(), s.mask().keptCount(g.id()), g.id());
        }
        assertEquals(0, s.mask().kept(last.id())[0] == 0 ? 1 : 0, "channel 0 has the lowest score and goes first");
    }

    static Stream<Arguments> blockTargets() {
        return Stream.of(
                Arguments.of("fashion-vgg", org.ocsp.modelops.arch.Architectures.byName("fashion-vgg", 10), 0.5),
                Arguments.of("resnet56", CifarResNet.resnet56(10), 0.5),
                Arguments.of("vgg16-cifar", Vgg.cifar16(10), 0.6),
                Arguments.of("resnet50", ImageNetResNet.resnet50(1000), 0.43));
    }

    @ParameterizedTest(name = "{0} target {2}")
    @MethodSource("blockTargets")
    void aChannelMultipleKeepsEveryGroupInWholeBlocksOfItsBestChannels(String name, NetworkGraph graph, double target) {
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        GroupScores scores = randomScores(groups, 23);
        SubnetworkSelector plain = new SubnetworkSelector(graph, groups, SubnetworkSelectorTest::flops, PruningLimit.reference());
        Selection s = plain.withChannelMultiple(16).select(scores, target);
        int removed = 0;
        boolean anyPruned = false;
        for (ChannelGroup g : groups) {
            int kept = s.mask().keptCount(g.id());
            assertTrue(kept == g.width() || kept % 16 == 0, name + " " + g.id() + ": " + kept + " of " + g.width());
            assertTrue(g.width() - kept <= PruningLimit.reference().maxPrunable(g.width()), g.id());
            anyPruned |= kept < g.width();
            removed += g.width() - kept;
            // The kept channels are the group's best-scored ones.
            double[] sc = scores.of(g.id());
            double worstKept = java.util.Arrays.stream(s.mask().kept(g.id())).mapToDouble(c -> sc[c]).min().orElseThrow();
            java.util.Set<Integer> keptSet = new java.util.HashSet<>();
            for (int c : s.mask().kept(g.id())) {
                keptSet.add(c);
            }
            for (int c = 0; c < sc.length; c++) {
                if (!keptSet.contains(c)) {
                    assertTrue(sc[c] <= worstKept, g.id() + ": pruned channel " + c + " scores above a kept one");
                }
            }
        }
        assertTrue(anyPruned, name);
        assertEquals(removed, s.prunedChannels());
        // Whole blocks are coarse, but the search still lands near the target.
        assertTrue(Math.abs(s.reduction() - target) <= 0.06, name + ": reduction " + s.reduction());
        assertReportsTheMaskedGraphsFlops(graph, groups, s);
    }

    /** The reported FLOPs are those of the graph the mask describes. */
    private static void assertReportsTheMaskedGraphsFlops(NetworkGraph graph, List<ChannelGroup> groups, Selection s) {
        Map<String, Integer> widths = new HashMap<>();
        for (ChannelGroup g : groups) {
            widths.put(g.id(), s.mask().keptCount(g.id()));
        }
        assertEquals(flops(GraphResizer.withWidths(graph, groups, widths)), s.flops(), 0.5);
    }

    @Test
    void channelMultipleOneIsThePlainSelection() {
        NetworkGraph graph = CifarResNet.resnet56(10);
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        GroupScores scores = randomScores(groups, 5);
        SubnetworkSelector plain = new SubnetworkSelector(graph, groups, SubnetworkSelectorTest::flops, PruningLimit.reference());
        Selection a = plain.select(scores, 0.5);
        Selection b = plain.withChannelMultiple(1).select(scores, 0.5);
        for (ChannelGroup g : groups) {
            assertTrue(java.util.Arrays.equals(a.mask().kept(g.id()), b.mask().kept(g.id())), g.id());
        }
        assertEquals(a.prunedChannels(), b.prunedChannels());
        assertThrows(IllegalArgumentException.class, () -> plain.withChannelMultiple(0));
    }

    @Test
    void rejectsTargetsOutsideTheUnitInterval() {
        NetworkGraph graph = CifarResNet.resnet20(10);
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        SubnetworkSelector sel = new SubnetworkSelector(graph, groups, SubnetworkSelectorTest::flops, PruningLimit.reference());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sel.select(randomScores(groups, 1), 1.2));
        assertTrue(e.getMessage().contains("targetReduction"));
    }

    @Test
    void selectionRemovesAPrefixOfTheRankingUpToItsThresholdAndNamesTheProtectedCounts() {
        NetworkGraph graph = Vgg.cifar16(10);
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        SubnetworkSelector sel = new SubnetworkSelector(graph, groups, SubnetworkSelectorTest::flops, PruningLimit.reference());
        GroupScores scores = randomScores(groups, 5);
        Selection s = sel.select(scores, 0.5);
        List<SubnetworkSelector.RankedChannel> ranking = sel.ranking(scores);

        for (int i = 1; i < ranking.size(); i++) {
            assertTrue(ranking.get(i - 1).score() <= ranking.get(i).score(), "lowest first at " + i);
        }
        List<SubnetworkSelector.RankedChannel> removed = ranking.subList(0, s.prunedChannels());
        for (SubnetworkSelector.RankedChannel c : removed) {
            assertFalse(contains(s.mask().kept(c.groupId()), c.channel()), c + " is in the removed prefix");
        }
        for (SubnetworkSelector.RankedChannel c : ranking.subList(s.prunedChannels(), ranking.size())) {
            assertTrue(contains(s.mask().kept(c.groupId()), c.channel()), c + " is past the prefix");
        }
        assertEquals(removed.get(removed.size() - 1).score(), s.threshold().getAsDouble());
        for (int g = 0; g < groups.size(); g++) {
            int width = groups.get(g).width();
            assertEquals(width - PruningLimit.reference().maxPrunable(width), s.protectedCounts().get(g));
        }
        assertTrue(sel.select(scores, 0.0).threshold().isEmpty(), "nothing removed, no threshold");
    }

    @Test
    void float32ScoresAreTheDoublesRoundedOnce() {
        GroupScores s = new GroupScores(Map.of("g", new double[] {0.1, 1.0 / 3}));
        double[] f = s.toFloat32().of("g");
        assertEquals((double) 0.1f, f[0]);
        assertEquals((double) (float) (1.0 / 3), f[1]);
        assertEquals(s.toFloat32().digest(), s.toFloat32().toFloat32().digest());
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }
}
