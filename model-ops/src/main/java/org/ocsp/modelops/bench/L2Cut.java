package org.ocsp.modelops.bench;

import java.util.List;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.saliency.L2GroupSaliency;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.modelops.surgery.ChannelSurgery;

/**
 * The bench's pruned network: the sub-network that keeps the channels of highest L2 group saliency
 * under a FLOPs cut (reference per-group limit), physically cut out of the dense one.
 */
record L2Cut(Selection selection, ChannelSurgery.PrunedModel model) {
    static L2Cut of(NetworkGraph graph, ParameterStore params, double flopsCut, int channelMultiple) {
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        SubnetworkSelector selector = new SubnetworkSelector(graph, groups, g -> CostModel.of(g).flops(), PruningLimit.reference())
                .withChannelMultiple(channelMultiple);
        Selection s = selector.select(new L2GroupSaliency().scores(groups, params), flopsCut);
        return new L2Cut(s, ChannelSurgery.apply(graph, params, groups, s.mask()));
    }

    /** Dense FLOPs over pruned FLOPs. */
    double flopsRatio() {
        return selection.denseFlops() / selection.flops();
    }
}
