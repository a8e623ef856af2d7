package org.ocsp.modelops.engine;

import java.util.List;
import java.util.function.IntConsumer;
import org.ocsp.modelops.graph.Node;

/**
 * A plan's kernels run in graph order forward and in reverse backward, with opt-in per-layer
 * timing; both engines use it. Node 0 is the input and has no kernel. The hooks run inside a
 * layer's timed part: {@code afterForward} after its forward (channel masks), {@code beforeBackward}
 * before its backward (summing the gradient contributions of several readers).
 */
final class KernelSequence {
    private final List<Node> nodes;
    private final LayerKernel[] kernels;
    private final IntConsumer afterForward;
    private final IntConsumer beforeBackward;
    private LayerTimings timings;

    KernelSequence(List<Node> nodes, LayerKernel[] kernels, IntConsumer afterForward, IntConsumer beforeBackward) {
        this.nodes = nodes;
        this.kernels = kernels;
        this.afterForward = afterForward;
        this.beforeBackward = beforeBackward;
    }

    /** Reports per-layer times into {@code t} from now on; null switches timing off. */
    void setTimings(LayerTimings t) {
        if (t != null) {
            t.bind(nodes);
        }
        this.timings = t;
    }

    void forward(boolean training) {
        LayerTimings t = timings;
        for (int i = 1; i < kernels.length; i++) {
            long t0 = t == null ? 0 : System.nanoTime();
            kernels[i].forward(training);
            if (t != null) {
                t.addForward(i, System.nanoTime() - t0);
            }
            afterForward.accept(i);
        }
    }

    void backward() {
        LayerTimings t = timings;
        for (int i = kernels.length - 1; i >= 1; i--) {
            long t0 = t == null ? 0 : System.nanoTime();
            beforeBackward.accept(i);
            kernels[i].backward();
            if (t != null) {
                t.addBackward(i, System.nanoTime() - t0);
            }
        }
    }
}
