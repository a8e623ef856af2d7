package org.ocsp.modelops.engine;

import org.bytedeco.dnnl.memory;

/**
 * A layer's weights and weight gradient as its primitives want them, next to the row-major
 * tensors in the parameter store: the weights are converted in before the forward (the optimiser
 * changed them) and, if the backward-data primitive wants another layout, before that; the
 * gradient is converted out after the backward-weights primitive. Shared by conv and linear.
 */
final class WeightAdapters {
    private final LayoutAdapter forward;
    private final LayoutAdapter data;
    private final LayoutAdapter gradient;

    /** {@code dataWeights}: the backward-data primitive's weight layout, null without that primitive. */
    WeightAdapters(Dnnl d, memory userWeights, memory userGradient, memory.desc forwardWeights, memory.desc diffWeights,
                   memory.desc dataWeights) {
        this.forward = LayoutAdapter.into(d, userWeights, forwardWeights);
        this.gradient = LayoutAdapter.outOf(d, diffWeights, userGradient);
        this.data = dataWeights == null ? null
                : dataWeights.equals(forwardWeights) ? forward : LayoutAdapter.into(d, userWeights, dataWeights);
    }

    memory forwardWeights() {
        return forward.inner();
    }

    memory dataWeights() {
        return data.inner();
    }

    memory gradient() {
        return gradient.inner();
    }

    void beforeForward() {
        forward.convertIn();
    }

    void afterBackwardWeights() {
        gradient.convertOut();
    }

    void beforeBackwardData() {
        if (data != forward) {
            data.convertIn();
        }
    }
}
