package org.ocsp.modelops.saliency;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.engine.ChannelSlices;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GroupMember;

/**
 * Sums an element-wise function of (weight, gradient) over the slice of one group member that
 * belongs to each channel: weight rows for producers and depthwise convs, input columns for
 * consumers (H*W columns per channel after flatten), gamma for BatchNorm. Runs on the host:
 * it is called once per epoch, not per step.
 */
final class ChannelReducer {
    interface ElementFunction {
        double apply(double weight, double gradient);
    }

    private ChannelReducer() {
    }

    static double[] reduce(ChannelGroup g, GroupMember m, ParameterStore p, ElementFunction f, boolean needsGradient) {
        double[] out = new double[g.width()];
        TensorKind kind = ChannelSlices.tensorOf(m);
        INDArray wArr = p.tensor(m.layer(), kind);
        double[] w = wArr.dup('c').data().asDouble();
        double[] gr = needsGradient ? p.gradient(m.layer(), kind).dup('c').data().asDouble() : null;
        ChannelSlices.visit(m, wArr.shape(), (c, i) -> out[c] += f.apply(w[i], gr == null ? 0 : gr[i]));
        return out;
    }

    /**
     * Sum over the group's members of each member's per-channel reduction, optionally divided
     * by sqrt(fan) (BN members never) and by the number of members.
     */
    static double[] sumOverMembers(ChannelGroup g, ParameterStore p, ElementFunction f, boolean needsGradient,
                                   boolean fanNormalised, boolean meanOverMembers) {
        double[] s = new double[g.width()];
        for (GroupMember m : g.members()) {
            double[] part = reduce(g, m, p, f, needsGradient);
            double norm = fanNormalised && m.side() != org.ocsp.modelops.group.Side.BN ? Math.sqrt(fan(m, p)) : 1;
            for (int c = 0; c < s.length; c++) {
                s[c] += part[c] / norm;
            }
        }
        if (meanOverMembers) {
            for (int c = 0; c < s.length; c++) {
                s[c] /= g.members().size();
            }
        }
        return s;
    }

    /** Fan used for normalisation: producer in*kh*kw, consumer out*kh*kw (per channel slice). */
    static double fan(GroupMember m, ParameterStore p) {
        long[] shape = p.tensor(m.layer(), TensorKind.WEIGHT).shape();
        long spatial = shape.length == 4 ? shape[2] * shape[3] : 1;
        switch (m.side()) {
            case OUT:
            case DEPTHWISE:
                return (double) shape[1] * spatial;
            case IN:
                return (double) shape[0] * spatial;
            default:
                return 1;
        }
    }
}
