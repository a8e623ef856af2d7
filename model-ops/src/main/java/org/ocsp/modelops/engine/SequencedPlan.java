package org.ocsp.modelops.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.Node;

/**
 * What both plans share: their kernels run in order by a {@link KernelSequence}, with the layers'
 * channel masks (tests) applied after a layer's forward and the gradient contributions of several
 * readers summed before its backward, each in the engine's own way.
 */
abstract class SequencedPlan implements ExecutionPlan {
    private final Map<LayerId, INDArray> channelMasks = new HashMap<>();
    private KernelSequence sequence;

    /** Called once by the subclass's constructor, when its kernels are built. */
    protected final void sequence(List<Node> nodes, LayerKernel[] kernels) {
        sequence = new KernelSequence(nodes, kernels, i -> {
            INDArray mask = channelMasks.isEmpty() ? null : channelMasks.get(nodes.get(i).id());
            if (mask != null) {
                applyChannelMask(i, mask);
            }
        }, this::sumGradient);
    }

    /** Multiplies node {@code i}'s output by the per-channel 0/1 {@code mask}. */
    protected abstract void applyChannelMask(int i, INDArray mask);

    /** Sums node {@code i}'s gradient contributions into its gradient, if it has several readers. */
    protected abstract void sumGradient(int i);

    @Override
    public void setChannelMask(LayerId id, INDArray mask) {
        channelMasks.put(id, mask);
    }

    @Override
    public void clearChannelMasks() {
        channelMasks.clear();
    }

    @Override
    public void setTimings(LayerTimings t) {
        sequence.setTimings(t);
    }

    @Override
    public void forward(boolean training) {
        sequence.forward(training);
    }

    @Override
    public void backward() {
        sequence.backward();
    }
}
