package org.ocsp.modelops.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * All tensors of one network in three flat native buffers (trainable parameters, their
 * gradients, and BN running statistics), with a view per tensor. One flat buffer lets the
 * optimiser update every parameter with a handful of native calls per step.
 *
 * <pre>{@code
 * try (ParameterStore p = ParameterStore.allocate(graph, DataType.FLOAT)) {
 *     new Initializer(42).initialize(graph, p);
 *     INDArray w = p.tensor(LayerId.of("conv1"), TensorKind.WEIGHT);
 * }
 * }</pre>
 * Layouts follow PyTorch: conv [out, in/groups, k, k], linear [out, in], BN vectors [C].
 */
public final class ParameterStore implements AutoCloseable {
    private final DataType dataType;
    private final INDArray params;
    private final INDArray grads;
    private final INDArray state;
    private final Map<TensorRef, INDArray> tensors;
    private final Map<TensorRef, INDArray> gradients;
    private final Map<TensorRef, long[]> shapes;

    private ParameterStore(DataType dataType, Map<TensorRef, long[]> shapes) {
        this.dataType = dataType;
        this.shapes = Collections.unmodifiableMap(shapes);
        long nParams = 0;
        long nState = 0;
        for (Map.Entry<TensorRef, long[]> e : shapes.entrySet()) {
            long n = length(e.getValue());
            if (e.getKey().kind().trainable()) {
                nParams += n;
            } else {
                nState += n;
            }
        }
        this.params = Nd4j.zeros(dataType, Math.max(1, nParams));
        this.grads = Nd4j.zeros(dataType, Math.max(1, nParams));
        this.state = Nd4j.zeros(dataType, Math.max(1, nState));
        Map<TensorRef, INDArray> t = new LinkedHashMap<>();
        Map<TensorRef, INDArray> g = new LinkedHashMap<>();
        long po = 0;
        long so = 0;
        for (Map.Entry<TensorRef, long[]> e : shapes.entrySet()) {
            long n = length(e.getValue());
            if (e.getKey().kind().trainable()) {
                t.put(e.getKey(), params.get(NDArrayIndex.interval(po, po + n)).reshape(e.getValue()));
                g.put(e.getKey(), grads.get(NDArrayIndex.interval(po, po + n)).reshape(e.getValue()));
                po += n;
            } else {
                t.put(e.getKey(), state.get(NDArrayIndex.interval(so, so + n)).reshape(e.getValue()));
                so += n;
            }
        }
        this.tensors = Collections.unmodifiableMap(t);
        this.gradients = Collections.unmodifiableMap(g);
    }

    /** Zero-filled store with every tensor the graph's layers need. */
    public static ParameterStore allocate(NetworkGraph graph, DataType dataType) {
        return new ParameterStore(dataType, shapesOf(graph));
    }

    /** Tensor shapes a graph needs, in graph order. */
    public static Map<TensorRef, long[]> shapesOf(NetworkGraph graph) {
        Map<TensorRef, long[]> shapes = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            LayerSpec s = n.spec();
            if (s instanceof LayerSpec.Conv2d c) {
                shapes.put(new TensorRef(n.id(), TensorKind.WEIGHT),
                        new long[] {c.outChannels(), c.inChannels() / c.groups(), c.kernel(), c.kernel()});
                if (c.bias()) {
                    shapes.put(new TensorRef(n.id(), TensorKind.BIAS), new long[] {c.outChannels()});
                }
            } else if (s instanceof LayerSpec.Linear l) {
                shapes.put(new TensorRef(n.id(), TensorKind.WEIGHT), new long[] {l.outFeatures(), l.inFeatures()});
                if (l.bias()) {
                    shapes.put(new TensorRef(n.id(), TensorKind.BIAS), new long[] {l.outFeatures()});
                }
            } else if (s instanceof LayerSpec.BatchNorm b) {
                for (TensorKind k : List.of(TensorKind.GAMMA, TensorKind.BETA, TensorKind.RUNNING_MEAN,
                        TensorKind.RUNNING_VAR)) {
                    shapes.put(new TensorRef(n.id(), k), new long[] {b.channels()});
                }
            }
        }
        return shapes;
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public DataType dataType() {
        return dataType;
    }

    public INDArray tensor(LayerId layer, TensorKind kind) {
        return require(tensors, new TensorRef(layer, kind));
    }

    public Optional<INDArray> find(LayerId layer, TensorKind kind) {
        return Optional.ofNullable(tensors.get(new TensorRef(layer, kind)));
    }

    public INDArray gradient(LayerId layer, TensorKind kind) {
        return require(gradients, new TensorRef(layer, kind));
    }

    public Optional<INDArray> findGradient(LayerId layer, TensorKind kind) {
        return Optional.ofNullable(gradients.get(new TensorRef(layer, kind)));
    }

    private static INDArray require(Map<TensorRef, INDArray> m, TensorRef ref) {
        INDArray a = m.get(ref);
        if (a == null) {
            throw new IllegalArgumentException("No tensor " + ref.key());
        }
        return a;
    }

    /** Every tensor in graph order (parameters and running statistics). */
    public Map<TensorRef, long[]> shapes() {
        return shapes;
    }

    public List<TensorRef> refs() {
        return new ArrayList<>(shapes.keySet());
    }

    /** Flat view of all trainable parameters. */
    public INDArray flatParams() {
        return params;
    }

    /** Flat view of all gradients, aligned with {@link #flatParams()}. */
    public INDArray flatGradients() {
        return grads;
    }

    public long parameterCount() {
        return params.length();
    }

    /** Offset of a trainable tensor inside the flat parameter buffer. */
    public long offset(TensorRef ref) {
        long o = 0;
        for (Map.Entry<TensorRef, long[]> e : shapes.entrySet()) {
            if (!e.getKey().kind().trainable()) {
                continue;
            }
            if (e.getKey().equals(ref)) {
                return o;
            }
            o += length(e.getValue());
        }
        throw new IllegalArgumentException("No trainable tensor " + ref.key());
    }

    @Override
    public void close() {
        params.close();
        grads.close();
        state.close();
    }
}
