package org.ocsp.modelops.engine;

import java.util.ArrayList;
import java.util.List;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.Node;

/**
 * Opt-in wall-clock time per layer and direction, for profiling a training step. A network
 * without timings attached pays one null check per layer; with timings, two
 * {@code System.nanoTime()} calls per layer and direction. ND4J's CPU ops are synchronous,
 * so the time of a layer is the time of its native ops.
 *
 * <pre>{@code
 * LayerTimings t = new LayerTimings();
 * net.setTimings(t);                 // every plan of the network reports into t
 * ... train some steps ...
 * for (LayerTimings.Row r : t.rows()) System.out.println(r);
 * net.setTimings(null);              // off again
 * }</pre>
 */
public final class LayerTimings {
    /** Mean milliseconds per call of one layer. */
    public record Row(LayerId id, String type, double forwardMs, double backwardMs, long calls) {
    }

    private List<Node> nodes = List.of();
    private long[] forwardNanos = new long[0];
    private long[] backwardNanos = new long[0];
    private long[] forwardCalls = new long[0];
    private long[] backwardCalls = new long[0];

    synchronized void bind(List<Node> graphNodes) {
        if (nodes.equals(graphNodes)) {
            return;
        }
        this.nodes = List.copyOf(graphNodes);
        int n = nodes.size();
        forwardNanos = new long[n];
        backwardNanos = new long[n];
        forwardCalls = new long[n];
        backwardCalls = new long[n];
    }

    void addForward(int node, long nanos) {
        forwardNanos[node] += nanos;
        forwardCalls[node]++;
    }

    void addBackward(int node, long nanos) {
        backwardNanos[node] += nanos;
        backwardCalls[node]++;
    }

    /** Forgets what was measured so far (for example the warm-up steps). */
    public synchronized void reset() {
        java.util.Arrays.fill(forwardNanos, 0);
        java.util.Arrays.fill(backwardNanos, 0);
        java.util.Arrays.fill(forwardCalls, 0);
        java.util.Arrays.fill(backwardCalls, 0);
    }

    /** One row per layer in graph order (the input node omitted). */
    public synchronized List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (int i = 1; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            out.add(new Row(node.id(), node.spec().type(), mean(forwardNanos[i], forwardCalls[i]),
                    mean(backwardNanos[i], backwardCalls[i]), Math.max(forwardCalls[i], backwardCalls[i])));
        }
        return out;
    }

    private static double mean(long nanos, long calls) {
        return calls == 0 ? 0 : nanos / 1e6 / calls;
    }
}
