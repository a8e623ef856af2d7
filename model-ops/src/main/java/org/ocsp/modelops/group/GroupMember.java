package org.ocsp.modelops.group;

import org.ocsp.modelops.graph.LayerId;

/**
 * One layer slice tied to a group. {@code columnsPerChannel} is 1 except for a linear
 * layer that reads a flattened map, where channel c owns columns [c*HW, (c+1)*HW).
 */
public record GroupMember(LayerId layer, Side side, int columnsPerChannel) {
    public GroupMember {
        if (columnsPerChannel < 1) {
            throw new IllegalArgumentException("Invalid columnsPerChannel " + columnsPerChannel + " for " + layer);
        }
    }

    @Override
    public String toString() {
        return layer + ":" + side + (columnsPerChannel > 1 ? "x" + columnsPerChannel : "");
    }
}
