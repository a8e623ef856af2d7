package org.ocsp.modelops.selection;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;

/**
 * What the sub-network selection of a run is asked for: the FLOPs reduction target, the per-group
 * limit, the distance from the target beyond which a selection is reported, and the channel block
 * every kept width is a multiple of (or the full width; {@link SubnetworkSelector#withChannelMultiple}).
 *
 * <pre>{@code
 * SelectionSettings s = SelectionSettings.reference(0.5);
 * SubnetworkSelector sel = s.selector(graph, groups, g -> CostModel.of(g).flops());
 * SelectionSettings blocks = new SelectionSettings(0.5, PruningLimit.reference(), 5e-4, 8);   // widths in 8s
 * }</pre>
 */
public record SelectionSettings(double targetReduction, PruningLimit limit, double flopsTolerance, int channelMultiple) {
    // The target and the tolerance are the selector's to check (select(), withFlopsTolerance()).
    public SelectionSettings {
        java.util.Objects.requireNonNull(limit, "limit");
        if (channelMultiple < 1) {
            throw new IllegalArgumentException("Invalid value " + channelMultiple
                    + " for configuration channel-multiple: must be >= 1");
        }
    }

    /** Without channel blocks (channel multiple 1), as before the multiple was a setting. */
    public SelectionSettings(double targetReduction, PruningLimit limit, double flopsTolerance) {
        this(targetReduction, limit, flopsTolerance, 1);
    }

    /** The reference's limit and tolerance for {@code targetReduction}. */
    public static SelectionSettings reference(double targetReduction) {
        return new SelectionSettings(targetReduction, PruningLimit.reference(), SubnetworkSelector.REFERENCE_TOLERANCE);
    }

    public SubnetworkSelector selector(NetworkGraph graph, List<ChannelGroup> groups, ToDoubleFunction<NetworkGraph> flops) {
        return new SubnetworkSelector(graph, groups, flops, limit).withFlopsTolerance(flopsTolerance)
                .withChannelMultiple(channelMultiple);
    }
}
