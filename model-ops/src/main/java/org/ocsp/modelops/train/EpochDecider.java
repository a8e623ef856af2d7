package org.ocsp.modelops.train;

import java.util.function.Supplier;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.stability.Candidate;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.stability.StabilityRules;
import org.ocsp.modelops.stability.StabilityTracker;

/**
 * The decision at the start of epoch t: from the saliency of the weights after epoch t-1,
 * select M_t under the FLOPs target and let the tracker decide (s_t, J_avg, regularisation,
 * lambda, t*). The offline loop and the Flink stability operator both call this.
 *
 * <pre>{@code
 * EpochDecider d = new EpochDecider(graph, groups, SelectionSettings.reference(0.5), tracker);
 * EpochDecision decision = d.decide(epoch, session::saliency);
 * }</pre>
 */
public final class EpochDecider {
    private final SubnetworkSelector selector;
    private final double target;
    private final StabilityTracker tracker;
    private Selection lastSelection;
    private GroupScores lastScores;

    public EpochDecider(NetworkGraph denseGraph, java.util.List<ChannelGroup> groups, SelectionSettings selection,
                        StabilityTracker tracker) {
        this.selector = selection.selector(denseGraph, groups, g -> CostModel.of(g).flops());
        this.target = selection.targetReduction();
        this.tracker = tracker;
    }

    /**
     * Decides epoch t; the mask is selected from the scores rounded to float32 ({@link GroupScores#toFloat32()}).
     * Under the ADAPTIVE rules the tracker also gets the mask's removal weight, computed from those
     * same float32 scores ({@link Candidate#of}), so the audit recomputes it from the logged scores.
     */
    public EpochDecision decide(int epoch, Supplier<GroupScores> scores) {
        lastScores = null;
        lastSelection = null;
        if (tracker.config().stabilityRules() == StabilityRules.ADAPTIVE) {
            return tracker.stepScored(epoch, () -> Candidate.of(select(scores), lastScores));
        }
        return tracker.step(epoch, () -> select(scores));
    }

    private SubnetworkMask select(Supplier<GroupScores> scores) {
        lastScores = scores.get().toFloat32();
        lastSelection = selector.select(lastScores, target);
        return lastSelection.mask();
    }

    /** The scores the latest decision's mask was selected from (float32 values), if one was selected. */
    public java.util.Optional<GroupScores> lastScores() {
        return java.util.Optional.ofNullable(lastScores);
    }

    /** The selection behind the latest decision's mask, if one was made. */
    public java.util.Optional<Selection> lastSelection() {
        return java.util.Optional.ofNullable(lastSelection);
    }

    public StabilityTracker tracker() {
        return tracker;
    }
}
