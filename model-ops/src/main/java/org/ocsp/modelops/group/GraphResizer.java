package org.ocsp.modelops.group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * The graph a sub-network would have: same topology, group widths replaced. Touches no
 * weights, so selection can evaluate FLOPs of many candidates cheaply.
 *
 * <pre>{@code
 * NetworkGraph smaller = GraphResizer.withWidths(graph, groups, Map.of("conv1", 24));
 * }</pre>
 */
public final class GraphResizer {
    private GraphResizer() {
    }

    public static NetworkGraph withWidths(NetworkGraph graph, List<ChannelGroup> groups, Map<String, Integer> widths) {
        ChannelGroup.checkKnownIds(widths.keySet(), groups, "width map");
        Map<LayerId, Integer> out = new HashMap<>();
        Map<LayerId, Integer> in = new HashMap<>();
        for (ChannelGroup g : groups) {
            Integer w = widths.get(g.id());
            if (w == null) {
                continue;
            }
            if (w < 1 || w > g.width()) {
                throw new IllegalArgumentException("Invalid width " + w + " for group " + g.id() + ": must be in 1.." + g.width());
            }
            for (GroupMember m : g.members()) {
                switch (m.side()) {
                    case OUT:
                    case BN:
                        out.put(m.layer(), w);
                        break;
                    case IN:
                        in.put(m.layer(), w * m.columnsPerChannel());
                        break;
                    case DEPTHWISE:
                        out.put(m.layer(), w);
                        in.put(m.layer(), w);
                        break;
                    default:
                        throw new IllegalStateException("Unhandled side " + m.side());
                }
            }
        }
        return graph.withSpecs(n -> resize(n, in, out));
    }

    private static Node resize(Node n, Map<LayerId, Integer> in, Map<LayerId, Integer> out) {
        LayerSpec s = n.spec();
        if (s instanceof LayerSpec.Conv2d c) {
            s = c.withChannels(in.getOrDefault(n.id(), c.inChannels()), out.getOrDefault(n.id(), c.outChannels()));
        } else if (s instanceof LayerSpec.Linear l) {
            s = new LayerSpec.Linear(in.getOrDefault(n.id(), l.inFeatures()), out.getOrDefault(n.id(), l.outFeatures()), l.bias());
        } else if (s instanceof LayerSpec.BatchNorm b) {
            s = new LayerSpec.BatchNorm(out.getOrDefault(n.id(), b.channels()), b.eps(), b.momentum());
        }
        return s == n.spec() ? n : new Node(n.id(), s, n.inputs());
    }
}
