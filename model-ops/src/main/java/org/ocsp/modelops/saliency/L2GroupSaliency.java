package org.ocsp.modelops.saliency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.group.ChannelGroup;

/**
 * The reference's group L2 saliency: per member, squared weights of the channel's slice
 * divided by sqrt(fan) (BN: gamma squared, no fan), summed over members and divided by the
 * number of members. No square root; biases and beta ignored.
 */
public final class L2GroupSaliency implements SaliencyMeasure {
    @Override
    public GroupScores scores(List<ChannelGroup> groups, ParameterStore params) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            out.put(g.id(), ChannelReducer.sumOverMembers(g, params, (w, grad) -> w * w, false, true, true));
        }
        return new GroupScores(out);
    }
}
