package org.ocsp.modelops.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ChannelSlices;
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
                TensorKind kind = ChannelSlices.tensorOf(m);
                int off = Math.toIntExact(store.offset(new TensorRef(m.layer(), kind)));
                long[] counted = {0};
                ChannelSlices.visit(m, store.tensor(m.layer(), kind).shape(), (c, i) -> {
                    if (!keep[c]) {
                        sel[off + i] = 1;
                        counted[0]++;
                    }
                });
                count += counted[0];
            }
        }
        selected.assign(Nd4j.createFromArray(sel).castTo(selected.dataType()));
        selectedCount = count;
    }

    /** The 0/1 vector of penalised entries, aligned with the flat parameters; empty when none is. */
    java.util.Optional<INDArray> selected() {
        return selectedCount == 0 ? java.util.Optional.empty() : java.util.Optional.of(selected);
    }

    /** Number of parameter entries currently penalised. */
    public long selectedCount() {
        return selectedCount;
    }

    public void clear() {
        selected.assign(0);
        selectedCount = 0;
    }

    /** w <- w * (1 - lambda * lr) on the selected entries (w <- 0 at most, see {@link #shrinkFactor}). */
    public void shrink(double lambda, double lr) {
        if (selectedCount == 0 || lambda == 0) {
            return;
        }
        INDArray w = store.flatParams();
        Nd4j.exec(new MulOp(w, selected, scratch));
        Nd4j.getBlasWrapper().level1().axpy(w.length(), -shrinkFactor(lambda, lr), scratch, w);
    }

    /**
     * lambda * lr, at most 1: a step's shrink takes at most the whole weight. Without the bound a
     * penalty with lambda * lr &gt; 1 (the ADAPTIVE rules' lambda can grow that far) would flip the
     * weight's sign, and beyond 2 make it grow; every lambda * lr &lt;= 1 is unchanged.
     */
    static double shrinkFactor(double lambda, double lr) {
        return Math.min(1.0, lambda * lr);
    }

    @Override
    public void close() {
        selected.close();
        scratch.close();
    }
}
