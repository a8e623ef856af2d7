package org.ocsp.modelops.saliency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GroupMember;

/**
 * First-order Taylor saliency: |w * dL/dw| summed over every slice of the group. Uses the
 * gradients currently in the store (the trainer calls it right after a backward pass).
 */
public final class TaylorSaliency implements SaliencyMeasure {
    @Override
    public GroupScores scores(List<ChannelGroup> groups, ParameterStore params) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            double[] s = new double[g.width()];
            for (GroupMember m : g.members()) {
                double[] part = ChannelReducer.reduce(g, m, params, (w, grad) -> Math.abs(w * grad), true);
                for (int c = 0; c < s.length; c++) {
                    s[c] += part[c];
                }
            }
            out.put(g.id(), s);
        }
        return new GroupScores(out);
    }
}
