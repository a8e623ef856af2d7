package org.ocsp.modelops.selection;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;

/**
 * What the sub-network selection of a run is asked for: the FLOPs reduction target, the per-group
 * limit and the distance from the target beyond which a selection is reported.
 *
 * <pre>{@code
 * SelectionSettings s = SelectionSettings.reference(0.5);
 * SubnetworkSelector sel = s.selector(graph, groups, g -> CostModel.of(g).flops());
 * }</pre>
 */
public record SelectionSettings(double targetReduction, PruningLimit limit, double flopsTolerance) {
    // The target and the tolerance are the selector's to check (select(), withFlopsTolerance()).
    public SelectionSettings {
        java.util.Objects.requireNonNull(limit, "limit");
    }

    /** The reference's limit and tolerance for {@code targetReduction}. */
    public static SelectionSettings reference(double targetReduction) {
        return new SelectionSettings(targetReduction, PruningLimit.reference(), SubnetworkSelector.REFERENCE_TOLERANCE);
    }

    public SubnetworkSelector selector(NetworkGraph graph, List<ChannelGroup> groups, ToDoubleFunction<NetworkGraph> flops) {
        return new SubnetworkSelector(graph, groups, flops, limit).withFlopsTolerance(flopsTolerance);
    }
}
