package org.ocsp.modelops.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GroupMember;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * The structured sparsity regulariser: after each optimiser step, the parameters of channels
 * selected for removal (producer rows, consumer input columns, BN gamma; not beta, not biases)
 * shrink as w <- w * (1 - lambda * lr). The selection is a 0/1 vector aligned with the flat
 * parameter buffer, so one shrink is two native calls whatever the network.
 *
 * <pre>{@code
 * SparsityRegularizer reg = new SparsityRegularizer(store);
 * reg.target(groups, decision.mask());   // when M_t changes
 * reg.shrink(lambda, lr);                // after every optimiser step
 * }</pre>
 */
public final class SparsityRegularizer implements AutoCloseable {
    private final ParameterStore store;
    private final INDArray selected;
    private final INDArray scratch;
    private long selectedCount;

    public SparsityRegularizer(ParameterStore store) {
        this.store = store;
        this.selected = Nd4j.zeros(store.dataType(), store.flatParams().length());
        this.scratch = Nd4j.zeros(store.dataType(), store.flatParams().length());
    }

    /** Penalises exactly the channels the mask does not keep. */
    public void target(List<ChannelGroup> groups, SubnetworkMask mask) {
        float[] sel = new float[Math.toIntExact(selected.length())];
        long count = 0;
        for (ChannelGroup g : groups) {
            if (!mask.groupIds().contains(g.id())) {
                continue;
            }
            boolean[] keep = new boolean[g.width()];
            for (int c : mask.kept(g.id())) {
                g.checkChannel(c);
                keep[c] = true;
            }
            for (GroupMember m : g.members()) {
                TensorKind kind = m.side() == org.ocsp.modelops.group.Side.BN ? TensorKind.GAMMA : TensorKind.WEIGHT;
                TensorRef ref = new TensorRef(m.layer(), kind);
                int off = Math.toIntExact(store.offset(ref));
                long[] shape = store.tensor(m.layer(), kind).shape();
                count += mark(sel, off, shape, m, keep);
            }
        }
        selected.assign(Nd4j.createFromArray(sel).castTo(selected.dataType()));
        selectedCount = count;
    }

    private static long mark(float[] sel, int off, long[] shape, GroupMember m, boolean[] keep) {
        long n = 0;
        int total = 1;
        for (long d : shape) {
            total *= (int) d;
        }
        switch (m.side()) {
            case BN:
                for (int c = 0; c < keep.length; c++) {
                    if (!keep[c]) {
                        sel[off + c] = 1;
                        n++;
                    }
                }
                return n;
            case OUT:
            case DEPTHWISE: {
                int row = total / (int) shape[0];
                for (int c = 0; c < keep.length; c++) {
                    if (!keep[c]) {
                        for (int i = c * row; i < (c + 1) * row; i++) {
                            sel[off + i] = 1;
                            n++;
                        }
                    }
                }
                return n;
            }
            case IN: {
                int rows = (int) shape[0];
                int cols = (int) shape[1];
                int inner = total / (rows * cols);
                for (int r = 0; r < rows; r++) {
                    for (int col = 0; col < cols; col++) {
                        if (!keep[col / m.columnsPerChannel()]) {
                            int base = off + (r * cols + col) * inner;
                            for (int i = 0; i < inner; i++) {
                                sel[base + i] = 1;
                                n++;
                            }
                        }
                    }
                }
                return n;
            }
            default:
                throw new IllegalStateException("Unhandled side " + m.side());
        }
    }

    /** Number of parameter entries currently penalised. */
    public long selectedCount() {
        return selectedCount;
    }

    public void clear() {
        selected.assign(0);
        selectedCount = 0;
    }

    /** w <- w * (1 - lambda * lr) on the selected entries. */
    public void shrink(double lambda, double lr) {
        if (selectedCount == 0 || lambda == 0) {
            return;
        }
        INDArray w = store.flatParams();
        Nd4j.exec(new MulOp(w, selected, scratch));
        Nd4j.getBlasWrapper().level1().axpy(w.length(), -lambda * lr, scratch, w);
    }

    @Override
    public void close() {
        selected.close();
        scratch.close();
    }
}
