package org.ocsp.modelops.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * Derives the prunable channel groups of any graph from a few coupling rules, never from
 * per-architecture lists (in the spirit of Torch-Pruning's dependency graph):
 * <ol>
 *   <li>a conv or linear layer starts a new channel space (its output channels);</li>
 *   <li>BatchNorm, ReLU and pooling keep their input's space;</li>
 *   <li>a residual add merges the spaces of all its inputs into one;</li>
 *   <li>flatten keeps the space, and a linear layer reading it owns H*W columns per channel;</li>
 *   <li>a depthwise conv (groups == in == out) keeps its input's space;</li>
 *   <li>never prunable: the network input's space, the classifier (a linear layer whose width
 *       equals the number of classes, as the reference ignores it), any space read by a grouped
 *       non-depthwise conv or by something other than a linear layer after flatten.</li>
 * </ol>
 *
 * <pre>{@code
 * List<ChannelGroup> groups = ChannelGroups.derive(CifarResNet.resnet56(10));
 * }</pre>
 */
public final class ChannelGroups {
    private ChannelGroups() {
    }

    public static List<ChannelGroup> derive(NetworkGraph graph) {
        List<Node> nodes = graph.nodes();
        UnionFind spaces = new UnionFind();
        Map<LayerId, Integer> columns = new HashMap<>();
        Set<LayerId> blockedSeeds = new HashSet<>();
        blockedSeeds.add(NetworkGraph.INPUT);
        int classes = graph.numClasses();
        for (Node n : nodes) {
            LayerSpec s = n.spec();
            columns.put(n.id(), 1);
            if (s instanceof LayerSpec.Input) {
                continue;
            }
            LayerId in = n.inputs().get(0);
            if (s instanceof LayerSpec.Conv2d c) {
                if (c.depthwise() && c.outChannels() == c.inChannels()) {
                    spaces.union(n.id(), in);
                } else if (c.groups() > 1) {
                    blockedSeeds.add(in);
                    blockedSeeds.add(n.id());
                }
                if (columns.get(in) > 1) {
                    blockedSeeds.add(in);
                }
            } else if (s instanceof LayerSpec.Linear l) {
                if (l.outFeatures() == classes) {
                    blockedSeeds.add(n.id());
                }
            } else if (s instanceof LayerSpec.Flatten) {
                spaces.union(n.id(), in);
                org.ocsp.modelops.graph.Shape shape = graph.shape(in);
                columns.put(n.id(), shape.height() * shape.width());
            } else if (s instanceof LayerSpec.Add) {
                for (LayerId other : n.inputs()) {
                    spaces.union(n.id(), other);
                }
            } else {
                spaces.union(n.id(), in);
                if (columns.get(in) > 1) {
                    // BN or pooling over flattened features: channel-to-column mapping breaks.
                    blockedSeeds.add(in);
                }
            }
        }
        Set<LayerId> blocked = new HashSet<>();
        for (LayerId b : blockedSeeds) {
            blocked.add(spaces.find(b));
        }
        Map<LayerId, List<GroupMember>> members = new LinkedHashMap<>();
        for (Node n : nodes) {
            LayerSpec s = n.spec();
            if (s instanceof LayerSpec.Conv2d c && c.depthwise() && c.outChannels() == c.inChannels()) {
                add(members, blocked, spaces.find(n.id()), new GroupMember(n.id(), Side.DEPTHWISE, 1));
                continue;
            }
            if (s instanceof LayerSpec.Conv2d || s instanceof LayerSpec.Linear) {
                LayerId in = n.inputs().get(0);
                add(members, blocked, spaces.find(in), new GroupMember(n.id(), Side.IN, columns.get(in)));
                add(members, blocked, spaces.find(n.id()), new GroupMember(n.id(), Side.OUT, 1));
            } else if (s instanceof LayerSpec.BatchNorm) {
                add(members, blocked, spaces.find(n.id()), new GroupMember(n.id(), Side.BN, 1));
            }
        }
        List<ChannelGroup> groups = new ArrayList<>();
        for (Map.Entry<LayerId, List<GroupMember>> e : members.entrySet()) {
            List<GroupMember> list = e.getValue();
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

    private static void add(Map<LayerId, List<GroupMember>> members, Set<LayerId> blocked, LayerId space, GroupMember m) {
        if (!blocked.contains(space)) {
            members.computeIfAbsent(space, k -> new ArrayList<>()).add(m);
        }
    }

    /** Channel spaces as disjoint sets of layer ids. */
    private static final class UnionFind {
        private final Map<LayerId, LayerId> parent = new HashMap<>();

        LayerId find(LayerId x) {
            LayerId p = parent.getOrDefault(x, x);
            if (p.equals(x)) {
                return x;
            }
            LayerId root = find(p);
            parent.put(x, root);
            return root;
        }

        void union(LayerId a, LayerId b) {
            LayerId ra = find(a);
            LayerId rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(ra, rb);
            }
        }
    }
}
