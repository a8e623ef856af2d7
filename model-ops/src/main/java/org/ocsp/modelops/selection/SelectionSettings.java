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
    public SelectionSettings {
        if (!(targetReduction >= 0 && targetReduction < 1)) {
            throw new IllegalArgumentException("Invalid value " + targetReduction
                    + " for configuration target: must be in [0, 1)");
        }
        if (limit == null) {
            throw new IllegalArgumentException("Missing configuration pruning limit");
        }
        if (!(flopsTolerance >= 0 && Double.isFinite(flopsTolerance))) {
            throw new IllegalArgumentException("Invalid value " + flopsTolerance
                    + " for configuration flops-tolerance: must be finite and >= 0");
        }
    }

    /** The reference's limit and tolerance for {@code targetReduction}. */
    public static SelectionSettings reference(double targetReduction) {
        return new SelectionSettings(targetReduction, PruningLimit.reference(), SubnetworkSelector.REFERENCE_TOLERANCE);
    }

    public SubnetworkSelector selector(NetworkGraph graph, List<ChannelGroup> groups, ToDoubleFunction<NetworkGraph> flops) {
        return new SubnetworkSelector(graph, groups, flops, limit).withFlopsTolerance(flopsTolerance);
    }
}
