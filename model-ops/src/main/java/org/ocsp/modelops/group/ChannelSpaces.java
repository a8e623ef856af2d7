package org.ocsp.modelops.group;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.ocsp.modelops.graph.LayerId;

/**
 * The channel spaces of a graph while the coupling rules run: which layer outputs share one set
 * of channels (disjoint sets of layer ids), how many columns a flattened output has per channel,
 * and which spaces may never be pruned.
 */
final class ChannelSpaces {
    private final Map<LayerId, LayerId> parent = new HashMap<>();
    private final Map<LayerId, Integer> columns = new HashMap<>();
    private final Set<LayerId> blockedSeeds = new HashSet<>();

    /** The two outputs carry the same channels: pruning one prunes the other. */
    void couple(LayerId a, LayerId b) {
        LayerId ra = space(a);
        LayerId rb = space(b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    /** The channels of this output, and of every output coupled with it, are never pruned. */
    void block(LayerId id) {
        blockedSeeds.add(id);
    }

    void columns(LayerId id, int perChannel) {
        columns.put(id, perChannel);
    }

    /** Columns per channel of this output: 1 unless a flatten spread each channel over H*W. */
    int columns(LayerId id) {
        return columns.getOrDefault(id, 1);
    }

    boolean flattened(LayerId id) {
        return columns(id) > 1;
    }

    /** A per-channel op on flattened features breaks the channel-to-column mapping: block its input. */
    void blockIfFlattened(LayerId in) {
        if (flattened(in)) {
            block(in);
        }
    }

    /** The representative of the space this output belongs to. */
    LayerId space(LayerId x) {
        LayerId p = parent.getOrDefault(x, x);
        if (p.equals(x)) {
            return x;
        }
        LayerId root = space(p);
        parent.put(x, root);
        return root;
    }

    /** Whether this output's space is blocked; valid once every coupling is known. */
    boolean blocked(LayerId id) {
        LayerId s = space(id);
        for (LayerId b : blockedSeeds) {
            if (space(b).equals(s)) {
                return true;
            }
        }
        return false;
    }
}
