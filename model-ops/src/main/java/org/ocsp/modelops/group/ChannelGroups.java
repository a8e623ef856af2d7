package org.ocsp.modelops.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * Derives the prunable channel groups of any graph from named coupling rules, never from
 * per-architecture lists (in the spirit of Torch-Pruning's dependency graph). Each layer kind has
 * one {@link CouplingRule}: a conv or linear layer starts a new channel space, batch norm, ReLU and
 * pooling keep their input's, a residual add merges its inputs' spaces, flatten spreads each
 * channel over H*W columns of the linear layer that reads it, a depthwise conv keeps its input's
 * space, a grouped conv blocks what it reads and writes, and the network input is never pruned.
 * One rule belongs to the graph rather than a layer kind: the channels of the network's output
 * are the classes, so the space of the classifier, whatever layer produces the output, is never
 * pruned (the reference leaves the classifier alone too).
 *
 * <pre>{@code
 * List<ChannelGroup> groups = ChannelGroups.derive(CifarResNet.resnet56(10));
 * }</pre>
 */
public final class ChannelGroups {
    private ChannelGroups() {
    }

    /** Each group's width by id, in the groups' order (what weighted Jaccard averaging needs). */
    public static java.util.Map<String, Integer> widths(List<ChannelGroup> groups) {
        java.util.Map<String, Integer> widths = new java.util.LinkedHashMap<>();
        groups.forEach(g -> widths.put(g.id(), g.width()));
        return widths;
    }

    public static List<ChannelGroup> derive(NetworkGraph graph) {
        List<Node> nodes = graph.nodes();
        ChannelSpaces spaces = new ChannelSpaces();
        for (Node n : nodes) {
            CouplingRule.of(n.spec()).couple(n, graph, spaces);
        }
        spaces.block(graph.output().id());
        Map<LayerId, List<GroupMember>> members = new LinkedHashMap<>();
        for (Node n : nodes) {
            for (GroupMember m : CouplingRule.of(n.spec()).members(n, spaces)) {
                // An IN member prunes the channels its layer reads: those of the layer's input.
                LayerId pruned = m.side() == Side.IN ? n.inputs().get(0) : n.id();
                if (!spaces.blocked(pruned)) {
                    members.computeIfAbsent(spaces.space(pruned), k -> new ArrayList<>()).add(m);
                }
            }
        }
        List<ChannelGroup> groups = new ArrayList<>();
        for (List<GroupMember> list : members.values()) {
            int rootAt = -1;
            for (int i = 0; i < list.size(); i++) {
                Side side = list.get(i).side();
                if (side == Side.OUT || side == Side.DEPTHWISE) {
                    rootAt = i;
                    break;
                }
            }
            if (rootAt < 0) {
                continue;
            }
            List<GroupMember> ordered = new ArrayList<>();
            ordered.add(list.get(rootAt));
            for (int i = 0; i < list.size(); i++) {
                if (i != rootAt) {
                    ordered.add(list.get(i));
                }
            }
            GroupMember root = ordered.get(0);
            groups.add(new ChannelGroup(root.layer().value(), graph.shape(root.layer()).channels(), ordered));
        }
        groups.sort(java.util.Comparator.comparingInt(g -> indexOf(nodes, g.root().layer())));
        return List.copyOf(groups);
    }

    private static int indexOf(List<Node> nodes, LayerId id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
