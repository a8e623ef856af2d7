package org.ocsp.modelops.saliency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GroupMember;
import org.ocsp.modelops.group.Side;

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
            double[] s = new double[g.width()];
            for (GroupMember m : g.members()) {
                double[] part = ChannelReducer.reduce(g, m, params, (w, grad) -> w * w, false);
                double norm = m.side() == Side.BN ? 1 : Math.sqrt(ChannelReducer.fan(m, params));
                for (int c = 0; c < s.length; c++) {
                    s[c] += part[c] / norm;
                }
            }
            for (int c = 0; c < s.length; c++) {
                s[c] /= g.members().size();
            }
            out.put(g.id(), s);
        }
        return new GroupScores(out);
    }
}
