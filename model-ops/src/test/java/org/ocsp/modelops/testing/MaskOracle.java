package org.ocsp.modelops.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GroupMember;
import org.ocsp.modelops.group.Side;
import org.ocsp.modelops.selection.SubnetworkMask;

/** Builds channel masks that force a sub-network's removed channels to zero in the dense network. */
public final class MaskOracle {
    private MaskOracle() {
    }

    /** Zero/one vectors for every layer that writes a group's channels (producers, BN, depthwise). */
    public static Map<LayerId, INDArray> activationMasks(List<ChannelGroup> groups, SubnetworkMask mask, DataType type) {
        Map<LayerId, INDArray> out = new HashMap<>();
        for (ChannelGroup g : groups) {
            if (!mask.groupIds().contains(g.id())) {
                continue;
            }
            float[] v = new float[g.width()];
            for (int c : mask.kept(g.id())) {
                v[c] = 1f;
            }
            for (GroupMember m : g.members()) {
                if (m.side() != Side.IN) {
                    out.put(m.layer(), Nd4j.createFromArray(v).castTo(type));
                }
            }
        }
        return out;
    }

    /** Keeps a random non-empty subset (roughly half) of every group. */
    public static SubnetworkMask randomMask(List<ChannelGroup> groups, long seed) {
        return org.ocsp.modelops.bench.ExportSamples.halfOfEachGroup(groups, seed);
    }
}
