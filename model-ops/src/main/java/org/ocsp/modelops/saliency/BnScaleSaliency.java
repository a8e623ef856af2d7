package org.ocsp.modelops.saliency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GroupMember;
import org.ocsp.modelops.group.Side;

/**
 * Network-slimming style: mean |gamma| over the group's BatchNorm layers. A group without
 * BatchNorm falls back to the L2 measure, so every group gets a score.
 */
public final class BnScaleSaliency implements SaliencyMeasure {
    private final L2GroupSaliency fallback = new L2GroupSaliency();

    @Override
    public GroupScores scores(List<ChannelGroup> groups, ParameterStore params) {
        Map<String, double[]> out = new LinkedHashMap<>();
        GroupScores l2 = null;
        for (ChannelGroup g : groups) {
            double[] s = new double[g.width()];
            int bn = 0;
            for (GroupMember m : g.members()) {
                if (m.side() == Side.BN) {
                    double[] part = ChannelReducer.reduce(g, m, params, (w, grad) -> Math.abs(w), false);
                    for (int c = 0; c < s.length; c++) {
                        s[c] += part[c];
                    }
                    bn++;
                }
            }
            if (bn == 0) {
                if (l2 == null) {
                    l2 = fallback.scores(groups, params);
                }
                s = l2.of(g.id());
            } else {
                for (int c = 0; c < s.length; c++) {
                    s[c] /= bn;
                }
            }
            out.put(g.id(), s);
        }
        return new GroupScores(out);
    }
}
