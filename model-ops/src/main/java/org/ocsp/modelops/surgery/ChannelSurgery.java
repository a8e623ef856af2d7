package org.ocsp.modelops.surgery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GraphResizer;
import org.ocsp.modelops.group.GroupMember;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * Physically removes channels: a new, smaller graph and a new parameter store holding the
 * kept slices of weights, biases, BN parameters and statistics, and consumer input columns.
 * The dense model is left untouched. Indices in the mask are positions in the CURRENT
 * network (equal to original indices until the first surgery).
 *
 * <pre>{@code
 * PrunedModel p = ChannelSurgery.apply(graph, store, groups, mask);
 * try (ParameterStore small = p.params()) { ... }
 * }</pre>
 */
public final class ChannelSurgery {
    private ChannelSurgery() {
    }

    /** The smaller network: graph and parameters (caller owns and closes the store). */
    public record PrunedModel(NetworkGraph graph, ParameterStore params) {
    }

    public static PrunedModel apply(NetworkGraph graph, ParameterStore dense, List<ChannelGroup> groups, SubnetworkMask mask) {
        ChannelGroup.checkKnownIds(mask.groupIds(), groups, "mask");
        Map<String, Integer> widths = new HashMap<>();
        // Per tensor and dimension: which indices survive.
        Map<TensorRef, Map<Integer, long[]>> keep = new HashMap<>();
        for (ChannelGroup g : groups) {
            if (!mask.groupIds().contains(g.id())) {
                continue;
            }
            int[] kept = mask.kept(g.id());
            if (kept.length == 0) {
                throw new IllegalArgumentException("Mask removes every channel of group " + g.id() + "; at least one must stay");
            }
            for (int c : kept) {
                g.checkChannel(c);
            }
            widths.put(g.id(), kept.length);
            for (GroupMember m : g.members()) {
                long[] rows = toLong(kept);
                switch (m.side()) {
                    case OUT:
                    case DEPTHWISE:
                        put(keep, dense, m.layer(), TensorKind.WEIGHT, 0, rows);
                        put(keep, dense, m.layer(), TensorKind.BIAS, 0, rows);
                        break;
                    case BN:
                        for (TensorKind k : List.of(TensorKind.GAMMA, TensorKind.BETA, TensorKind.RUNNING_MEAN, TensorKind.RUNNING_VAR)) {
                            put(keep, dense, m.layer(), k, 0, rows);
                        }
                        break;
                    case IN:
                        put(keep, dense, m.layer(), TensorKind.WEIGHT, 1, expand(kept, m.columnsPerChannel()));
                        break;
                    default:
                        throw new IllegalStateException("Unhandled side " + m.side());
                }
            }
        }
        NetworkGraph smaller = GraphResizer.withWidths(graph, groups, widths);
        ParameterStore out = ParameterStore.allocate(smaller, dense.dataType());
        for (TensorRef ref : out.refs()) {
            INDArray src = dense.tensor(ref.layer(), ref.kind());
            Map<Integer, long[]> dims = keep.get(ref);
            INDArray slice = src;
            if (dims != null) {
                for (Map.Entry<Integer, long[]> d : dims.entrySet()) {
                    slice = select(slice, d.getKey(), d.getValue());
                }
            }
            out.tensor(ref.layer(), ref.kind()).assign(slice);
        }
        return new PrunedModel(smaller, out);
    }

    private static void put(Map<TensorRef, Map<Integer, long[]>> keep, ParameterStore dense, LayerId layer, TensorKind kind,
                            int dim, long[] idx) {
        if (dense.find(layer, kind).isEmpty()) {
            return;
        }
        Map<Integer, long[]> dims = keep.computeIfAbsent(new TensorRef(layer, kind), k -> new HashMap<>());
        if (dims.containsKey(dim)) {
            throw new IllegalStateException("Two groups cut dimension " + dim + " of " + layer + "." + kind);
        }
        dims.put(dim, idx);
    }

    /** Keeps the given indices along one dimension; done on the host because surgery is rare. */
    static INDArray select(INDArray a, int dim, long[] idx) {
        long[] shape = a.shape();
        long outer = 1;
        for (int i = 0; i < dim; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = dim + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        double[] src = a.dup('c').data().asDouble();
        double[] dst = new double[Math.toIntExact(outer * idx.length * inner)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long j : idx) {
                if (j < 0 || j >= shape[dim]) {
                    throw new IndexOutOfBoundsException("Index " + j + " outside dimension " + dim + " of size " + shape[dim]);
                }
                long base = (o * shape[dim] + j) * inner;
                for (long i = 0; i < inner; i++) {
                    dst[k++] = src[(int) (base + i)];
                }
            }
        }
        long[] outShape = shape.clone();
        outShape[dim] = idx.length;
        return Nd4j.createFromArray(dst).castTo(a.dataType()).reshape(outShape);
    }

    private static long[] toLong(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    private static long[] expand(int[] kept, int per) {
        long[] r = new long[kept.length * per];
        for (int i = 0; i < kept.length; i++) {
            for (int j = 0; j < per; j++) {
                r[i * per + j] = (long) kept[i] * per + j;
            }
        }
        return r;
    }

}
