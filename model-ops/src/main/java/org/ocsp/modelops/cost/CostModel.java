package org.ocsp.modelops.cost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ocsp.modelops.arch.TorchNames;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.graph.Shape;

/**
 * FLOPs and parameter counts of a {@link NetworkGraph}, computed analytically per sample, in the
 * reference's convention (ptflops / Torch-Pruning's {@code count_ops_and_params} hooks):
 * <ul>
 *   <li>conv: k*k*Cin*(Cout/groups)*Hout*Wout, plus Cout*Hout*Wout with bias; params k*k*(Cin/groups)*Cout (+Cout)</li>
 *   <li>batch norm (affine): 2 per element; params gamma and beta (running stats are buffers)</li>
 *   <li>ReLU: 1 per output element</li>
 *   <li>max / avg / global-avg pool: 1 per INPUT element</li>
 *   <li>linear: in*out, plus out with bias; params in*out (+out)</li>
 *   <li>input, residual add, flatten: 0</li>
 * </ul>
 * Under {@link FlopsConvention#PTFLOPS} (default) nodes that are functional calls in PyTorch
 * (see {@link TorchNames#isFunctional}) cost 0, since ptflops only hooks modules.
 *
 * <p>Built once per graph; evaluating other channel widths is allocation-free and linear in the
 * node count, so a FLOPs-target search can call it many times:
 * <pre>{@code
 * CostModel m = CostModel.of(CifarResNet.resnet56(10));
 * m.flops();                                   // 127_115_914
 * int[] w = m.denseWidths();                   // per node, in graph order
 * w[m.index(LayerId.of("layer1.0.conv1"))] = 8;
 * long pruned = m.flops(w);                    // as if layer1.0.conv1 kept 8 filters
 * }</pre>
 * Widths are read only at width sources ({@link #isWidthSource}): the input, convs that are not
 * depthwise, and linear layers. Every other node takes its width from its first input (a depthwise
 * conv keeps its channel multiplier; a flatten multiplies by H*W). Keeping coupled widths equal
 * (e.g. all producers of one residual add) is the caller's job.
 */
public final class CostModel {
    private static final int INPUT = 0;
    private static final int CONV = 1;
    private static final int BN = 2;
    private static final int RELU = 3;
    private static final int POOL = 4;
    private static final int LINEAR = 5;
    private static final int FREE = 6;

    private final NetworkGraph graph;
    private final FlopsConvention convention;
    private final int n;
    private final LayerId[] ids;
    private final String[] types;
    private final Map<LayerId, Integer> index;
    private final int[] kind;
    private final int[] in0;
    private final int[] src;
    private final int[] mult;
    private final long[] outHw;
    private final long[] inHw;
    private final int[] kk;
    private final int[] groups;
    private final boolean[] depthwise;
    private final boolean[] bias;
    private final boolean[] counted;
    private final int[] dense;
    private final long denseFlops;
    private final long denseParams;

    private CostModel(NetworkGraph graph, FlopsConvention convention) {
        this.graph = graph;
        this.convention = convention;
        List<Node> nodes = graph.nodes();
        n = nodes.size();
        ids = new LayerId[n];
        types = new String[n];
        kind = new int[n];
        in0 = new int[n];
        src = new int[n];
        mult = new int[n];
        outHw = new long[n];
        inHw = new long[n];
        kk = new int[n];
        groups = new int[n];
        depthwise = new boolean[n];
        bias = new boolean[n];
        counted = new boolean[n];
        dense = new int[n];
        Map<LayerId, Integer> idx = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            LayerSpec spec = node.spec();
            ids[i] = node.id();
            types[i] = spec.type();
            idx.put(node.id(), i);
            Shape out = graph.shape(node.id());
            outHw[i] = (long) out.height() * out.width();
            dense[i] = out.channels();
            counted[i] = convention == FlopsConvention.EVERY_OP || !TorchNames.isFunctional(node.id());
            in0[i] = node.inputs().isEmpty() ? -1 : idx.get(node.inputs().get(0));
            if (in0[i] >= 0) {
                Shape in = graph.shape(node.inputs().get(0));
                inHw[i] = (long) in.height() * in.width();
            }
            src[i] = i;
            mult[i] = 1;
            kind[i] = classify(i, spec, out);
        }
        this.index = Collections.unmodifiableMap(idx);
        this.denseFlops = flops(dense);
        this.denseParams = params(dense);
    }

    /** The cost model of a graph in the reference's convention ({@link FlopsConvention#PTFLOPS}). */
    public static CostModel of(NetworkGraph graph) {
        return of(graph, FlopsConvention.PTFLOPS);
    }

    public static CostModel of(NetworkGraph graph, FlopsConvention convention) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(convention, "convention");
        return new CostModel(graph, convention);
    }

    private int classify(int i, LayerSpec spec, Shape out) {
        if (spec instanceof LayerSpec.Input) {
            return INPUT;
        } else if (spec instanceof LayerSpec.Conv2d c) {
            kk[i] = c.kernel() * c.kernel();
            groups[i] = c.groups();
            bias[i] = c.bias();
            depthwise[i] = c.depthwise();
            if (c.depthwise()) {
                follow(i, c.outChannels() / c.inChannels());
            }
            return CONV;
        } else if (spec instanceof LayerSpec.BatchNorm) {
            follow(i, 1);
            return BN;
        } else if (spec instanceof LayerSpec.Relu) {
            follow(i, 1);
            return RELU;
        } else if (spec instanceof LayerSpec.MaxPool || spec instanceof LayerSpec.AvgPool
                || spec instanceof LayerSpec.GlobalAvgPool) {
            follow(i, 1);
            return POOL;
        } else if (spec instanceof LayerSpec.Linear l) {
            bias[i] = l.bias();
            return LINEAR;
        } else if (spec instanceof LayerSpec.Flatten) {
            follow(i, Math.toIntExact(inHw[i]));
            return FREE;
        } else if (spec instanceof LayerSpec.Add) {
            follow(i, 1);
            return FREE;
        }
        throw new IllegalArgumentException("Layer '" + ids[i] + "' (" + spec.type() + ") has no cost rule");
    }

    /** This node's width is its first input's width times {@code factor}. */
    private void follow(int i, int factor) {
        src[i] = src[in0[i]];
        mult[i] = mult[in0[i]] * factor;
    }

    public NetworkGraph graph() {
        return graph;
    }

    public FlopsConvention convention() {
        return convention;
    }

    /** Number of nodes (length of a widths array). */
    public int size() {
        return n;
    }

    /** Position of a node in graph order, the index into widths arrays. */
    public int index(LayerId id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new IllegalArgumentException("Unknown layer '" + id + "' in graph " + graph.name());
        }
        return i;
    }

    public LayerId id(int index) {
        return ids[index];
    }

    /** Whether {@code flops(widths)} reads {@code widths[index]} (input, non-depthwise conv, linear). */
    public boolean isWidthSource(int index) {
        return src[index] == index;
    }

    /** Output channels (features after a flatten) of every node in graph order; a fresh copy to modify. */
    public int[] denseWidths() {
        return dense.clone();
    }

    public long flops() {
        return denseFlops;
    }

    public long params() {
        return denseParams;
    }

    public Cost cost() {
        return new Cost(denseFlops, denseParams);
    }

    /** FLOPs with the given width-source widths (see class doc). */
    public long flops(int[] widths) {
        checkWidths(widths);
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += nodeFlops(i, widths);
        }
        return total;
    }

    public long params(int[] widths) {
        checkWidths(widths);
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += nodeParams(i, widths);
        }
        return total;
    }

    public Cost cost(int[] widths) {
        return new Cost(flops(widths), params(widths));
    }

    /** Per-node costs of the graph as built, in graph order (every node, zero-cost ones included). */
    public List<LayerCost> breakdown() {
        return breakdown(dense);
    }

    public List<LayerCost> breakdown(int[] widths) {
        checkWidths(widths);
        List<LayerCost> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new LayerCost(ids[i], types[i], nodeFlops(i, widths), nodeParams(i, widths)));
        }
        return Collections.unmodifiableList(out);
    }

    private long width(int i, int[] widths) {
        return (long) widths[src[i]] * mult[i];
    }

    private long nodeFlops(int i, int[] w) {
        if (!counted[i]) {
            return 0;
        }
        switch (kind[i]) {
            case CONV: {
                long cin = width(in0[i], w);
                long cout = width(i, w);
                long g = depthwise[i] ? cin : groups[i];
                long positions = outHw[i];
                return kk[i] * cin * (cout / g) * positions + (bias[i] ? cout * positions : 0);
            }
            case BN:
                return 2 * width(i, w) * outHw[i];
            case RELU:
                return width(i, w) * outHw[i];
            case POOL:
                return width(in0[i], w) * inHw[i];
            case LINEAR: {
                long cout = width(i, w);
                return width(in0[i], w) * cout + (bias[i] ? cout : 0);
            }
            default:
                return 0;
        }
    }

    private long nodeParams(int i, int[] w) {
        switch (kind[i]) {
            case CONV: {
                long cin = width(in0[i], w);
                long cout = width(i, w);
                long g = depthwise[i] ? cin : groups[i];
                return kk[i] * (cin / g) * cout + (bias[i] ? cout : 0);
            }
            case BN:
                return 2 * width(i, w);
            case LINEAR: {
                long cout = width(i, w);
                return width(in0[i], w) * cout + (bias[i] ? cout : 0);
            }
            default:
                return 0;
        }
    }

    private void checkWidths(int[] widths) {
        Objects.requireNonNull(widths, "widths");
        if (widths.length != n) {
            throw new IllegalArgumentException("Invalid widths of length " + widths.length + " for graph "
                    + graph.name() + ": must have one entry per node (" + n + "), start from denseWidths()");
        }
    }
}
