package org.ocsp.modelops.saliency;

import java.util.function.ToDoubleFunction;
import org.ocsp.modelops.graph.NetworkGraph;

/** The selectable saliency measures; the reference's default is cost-aware L2. */
public enum SaliencyKind {
    L2, TAYLOR, BN_SCALE;

    /** The measure with the reference's cost-aware factor applied. */
    public SaliencyMeasure measure(NetworkGraph graph, ToDoubleFunction<NetworkGraph> flops) {
        return measure(graph, flops, true);
    }

    /** The measure, with the cost-aware factor ({@link CostAwareSaliency}) or the plain group scores. */
    public SaliencyMeasure measure(NetworkGraph graph, ToDoubleFunction<NetworkGraph> flops, boolean costAware) {
        SaliencyMeasure base;
        switch (this) {
            case TAYLOR:
                base = new TaylorSaliency();
                break;
            case BN_SCALE:
                base = new BnScaleSaliency();
                break;
            default:
                base = new L2GroupSaliency();
        }
        return costAware ? new CostAwareSaliency(base, graph, flops) : base;
    }
}
