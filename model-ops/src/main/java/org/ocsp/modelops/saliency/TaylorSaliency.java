package org.ocsp.modelops.saliency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.group.ChannelGroup;

/**
 * First-order Taylor saliency: |w * dL/dw| summed over every slice of the group. Uses the
 * gradients currently in the store (the trainer calls it right after a backward pass).
 */
public final class TaylorSaliency implements SaliencyMeasure {
    @Override
    public GroupScores scores(List<ChannelGroup> groups, ParameterStore params) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            out.put(g.id(), ChannelReducer.sumOverMembers(g, params, (w, grad) -> Math.abs(w * grad), true, false, false));
        }
        return new GroupScores(out);
    }
}
