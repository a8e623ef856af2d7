package org.ocsp.modelops.engine;

import org.ocsp.modelops.group.GroupMember;
import org.ocsp.modelops.group.Side;

/**
 * Which elements of a layer's tensor belong to which channel of a group: weight rows for
 * producers and depthwise convs, input columns for consumers (H*W columns per channel after a
 * flatten), gamma entries for BatchNorm. Saliency, the regulariser and anything else that
 * reads or writes a channel's parameters share this one definition.
 *
 * <pre>{@code
 * ChannelSlices.visit(member, store.tensor(member.layer(), ChannelSlices.tensorOf(member)).shape(),
 *         (channel, index) -> sums[channel] += w[index] * w[index]);
 * }</pre>
 */
public final class ChannelSlices {
    /** Receives one element: its channel in the group and its index in the C-order tensor. */
    public interface ElementVisitor {
        void accept(int channel, int index);
    }

    private ChannelSlices() {
    }

    /** The tensor a member's channels live in: gamma for BatchNorm (beta is never scored or shrunk), else the weight. */
    public static TensorKind tensorOf(GroupMember m) {
        return m.side() == Side.BN ? TensorKind.GAMMA : TensorKind.WEIGHT;
    }

    /** Visits every element of the member's tensor (shape as stored) that belongs to a channel of the group. */
    public static void visit(GroupMember m, long[] shape, ElementVisitor v) {
        int total = 1;
        for (long d : shape) {
            total *= (int) d;
        }
        switch (m.side()) {
            case BN:
                for (int c = 0; c < total; c++) {
                    v.accept(c, c);
                }
                return;
            case OUT:
            case DEPTHWISE: {
                int rows = (int) shape[0];
                int row = total / rows;
                for (int c = 0; c < rows; c++) {
                    for (int i = c * row; i < (c + 1) * row; i++) {
                        v.accept(c, i);
                    }
                }
                return;
            }
            case IN: {
                int rows = (int) shape[0];
                int cols = (int) shape[1];
                int inner = total / (rows * cols);
                int per = m.columnsPerChannel();
                for (int r = 0; r < rows; r++) {
                    for (int col = 0; col < cols; col++) {
                        int base = (r * cols + col) * inner;
                        for (int i = base; i < base + inner; i++) {
                            v.accept(col / per, i);
                        }
                    }
                }
                return;
            }
            default:
                throw new IllegalStateException("Unhandled side " + m.side());
        }
    }
}
