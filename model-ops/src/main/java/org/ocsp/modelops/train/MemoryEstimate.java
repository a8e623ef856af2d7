package org.ocsp.modelops.train;

import java.util.Locale;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.graph.Shape;

/**
 * What training a graph at a batch size holds in float32, counted from its shapes before anything
 * is allocated: parameters with their gradients and momentum, and every layer's output and output
 * gradient for one batch. An estimate (oneDNN's blocked layouts pad channels, and workspaces come
 * on top), meant to refuse a run that cannot fit with a message instead of an out-of-memory error.
 *
 * <pre>{@code
 * MemoryEstimate m = MemoryEstimate.of(graph, 128);
 * if (m.totalBytes() > limit) { ... m.describe() ... }
 * }</pre>
 */
public record MemoryEstimate(long parameterBytes, long activationBytes) {
    private static final long FLOAT = Float.BYTES;

    public static MemoryEstimate of(NetworkGraph graph, int batchSize) {
        long elements = 0;
        for (Node n : graph.nodes()) {
            Shape s = graph.shape(n.id());
            elements = Math.addExact(elements, Math.multiplyExact((long) s.channels(), (long) s.height() * s.width()));
        }
        long params = CostModel.of(graph).params();
        // Parameters: value, gradient, momentum. Activations: output and its gradient.
        return new MemoryEstimate(Math.multiplyExact(params, 3 * FLOAT),
                Math.multiplyExact(Math.multiplyExact(elements, (long) batchSize), 2 * FLOAT));
    }

    public long totalBytes() {
        return parameterBytes + activationBytes;
    }

    /** E.g. "2.1 GiB (parameters 10.5 MiB, activations at this batch 2.1 GiB)". */
    public String describe() {
        return mib(totalBytes()) + " (parameters " + mib(parameterBytes) + ", activations at this batch "
                + mib(activationBytes) + ")";
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
