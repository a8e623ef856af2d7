package org.ocsp.modelops.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The float32 CPU engine: every layer a oneDNN primitive built once for this batch size and
 * bound to preallocated buffers. 4-D activations after the first conv and their gradients live
 * in oneDNN's blocked layout (see {@link Dnnl}); the network input, the flattened features and
 * the logits are row-major, so callers see the same tensors as with {@link Nd4jPlan}.
 *
 * <p>Gradient routing is {@link Nd4jPlan}'s: a residual add hands its output gradient to its
 * inputs; an activation read by several layers gets one buffer per reader and their sum (an
 * element-wise add over the raw buffers, valid because the readers' buffers share one layout).
 */
final class DnnlPlan extends SequencedPlan {
    private static final Logger LOG = LoggerFactory.getLogger(DnnlPlan.class);
    private final Dnnl d;
    private final int batch;
    private final List<Node> nodes;
    private final LayerKernel[] kernels;
    private final DnnlTensor[] activations;
    private final DnnlTensor[] gradients;
    /** Per node with several readers: the oneDNN add of their gradient contributions, else null. */
    private final DnnlAdd[] gradientSums;
    /** A batch norm fused with its ReLU has no output of its own: its channel mask goes on the ReLU's. */
    private final Map<Integer, Integer> maskTargets = new HashMap<>();
    private final INDArray input;
    private final INDArray output;
    private final INDArray outputGradient;

    private final memory.format_tag activationLayout;
    private final ConvAlgorithm algorithm;

    /**
     * A plan in the arena's activation layout; the first plan of an arena picks it: the first of
     * {@link Dnnl#activationLayouts()} with an optimised kernel for every conv of the graph.
     */
    static DnnlPlan build(Dnnl d, NetworkGraph graph, ParameterStore params, Arena arena, int batch) {
        if (arena.layout != null) {
            return new DnnlPlan(d, graph, params, arena, batch, arena.layout);
        }
        List<memory.format_tag> candidates = switch (arena.choice) {
            case AUTO -> d.activationLayouts();
            case BLOCKED -> List.of(d.activationLayouts().get(0));
            case CHANNELS_LAST -> List.of(memory.format_tag.nhwc);
        };
        DnnlPlan plan = null;
        for (memory.format_tag tag : candidates) {
            plan = new DnnlPlan(d, graph, params, arena, batch, tag);
            List<String> slow = plan.referenceKernels();
            if (slow.isEmpty()) {
                break;
            }
            LOG.info("{} in layout {}: oneDNN reference kernels for {}", graph.name(), tag, slow);
        }
        arena.layout = plan.activationLayout;
        LOG.info("{} at batch {}, activations in {}: conv kernels {}", graph.name(), batch, arena.layout,
                plan.convKernelCounts());
        return plan;
    }

    private DnnlPlan(Dnnl d, NetworkGraph graph, ParameterStore params, Arena arena, int batch,
                     memory.format_tag activationLayout) {
        if (params.dataType() != DataType.FLOAT) {
            throw new UnsupportedOperationException("oneDNN plans run in float32, not " + params.dataType());
        }
        this.d = d;
        this.batch = batch;
        this.activationLayout = activationLayout;
        this.algorithm = arena.algorithm;
        this.nodes = graph.nodes();
        int n = nodes.size();
        Map<LayerId, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i).id(), i);
        }
        boolean[] blocked = new boolean[n];
        memory.desc[] layout = new memory.desc[n];
        memory.desc[] capacityLayout = new memory.desc[n];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            blocked[i] = i > 0 && isBlocked(node, graph.shape(node.id()).withBatch(batch).length,
                    blocked[index.get(node.inputs().get(0))]);
            layout[i] = layoutOf(blocked[i], graph.shape(node.id()).withBatch(batch));
            capacityLayout[i] = layoutOf(blocked[i], graph.shape(node.id()).withBatch(arena.capacity));
        }
        activations = new DnnlTensor[n];
        for (int i = 0; i < n; i++) {
            activations[i] = arena.tensor(d, "a:" + nodes.get(i).id(), graph.shape(nodes.get(i).id()).withBatch(batch),
                    layout[i], capacityLayout[i]);
        }
        GradientRouting<DnnlTensor> routing = new GradientRouting<>(graph, spec -> spec instanceof LayerSpec.Add,
                new GradientRouting.Buffers<>() {
                    @Override
                    public DnnlTensor own(int node) {
                        return arena.tensor(d, "g:" + nodes.get(node).id(), activations[node].dims(), layout[node],
                                capacityLayout[node]);
                    }

                    @Override
                    public DnnlTensor contribution(int node, int k) {
                        return arena.tensor(d, "s" + k + ":" + nodes.get(node).id(), activations[node].dims(),
                                layout[node], capacityLayout[node]);
                    }

                    @Override
                    public DnnlTensor alias(DnnlTensor readerGradient, int node) {
                        return readerGradient;
                    }
                });
        gradients = new DnnlTensor[n];
        gradientSums = new DnnlAdd[n];
        for (int i = 0; i < n; i++) {
            gradients[i] = routing.gradient(i);
            List<DnnlTensor> parts = routing.sums(i);
            gradientSums[i] = parts.isEmpty() ? null : new DnnlAdd(d, parts.toArray(new DnnlTensor[0]), gradients[i]);
        }
        kernels = new LayerKernel[n];
        int[] relu = reluReaders(graph, nodes, index);
        for (int i = 1; i < n; i++) {
            if (kernels[i] != null) {
                continue; // a ReLU that the batch norm before it applies
            }
            Node node = nodes.get(i);
            DnnlTensor[] ins = new DnnlTensor[node.inputs().size()];
            for (int s = 0; s < ins.length; s++) {
                ins[s] = activations[index.get(node.inputs().get(s))];
            }
            DnnlTensor[] inGrads = routing.inputGradients(i).toArray(new DnnlTensor[0]);
            if (node.spec() instanceof LayerSpec.BatchNorm b && relu[i] > 0) {
                DnnlBatchNorm bn = new DnnlBatchNorm(d, b, params, node.id(), ins[0], inGrads[0], activations[i],
                        gradients[i], activations[relu[i]], gradients[relu[i]]);
                kernels[i] = bn;
                if (bn.fusedWithRelu()) {
                    kernels[relu[i]] = LayerKernel.NONE;
                    maskTargets.put(i, relu[i]);
                }
                continue;
            }
            boolean readsOnlyInput = node.inputs().stream().allMatch(in -> index.get(in) == 0);
            kernels[i] = kernel(node, params, ins, inGrads, activations[i], gradients[i], !readsOnlyInput);
        }
        sequence(nodes, kernels);
        input = rowMajor(activations[0]);
        output = rowMajor(activations[n - 1]);
        outputGradient = rowMajor(gradients[n - 1]);
    }

    /**
     * Per node: the index of the ReLU that is a batch norm's only reader (the pair runs as one fused
     * primitive), else -1.
     */
    private static int[] reluReaders(NetworkGraph graph, List<Node> nodes, Map<LayerId, Integer> index) {
        int[] relu = new int[nodes.size()];
        for (int i = 0; i < relu.length; i++) {
            List<LayerId> readers = graph.consumers(nodes.get(i).id());
            boolean fusable = nodes.get(i).spec() instanceof LayerSpec.BatchNorm && readers.size() == 1
                    && nodes.get(index.get(readers.get(0))).spec() instanceof LayerSpec.Relu;
            relu[i] = fusable ? index.get(readers.get(0)) : -1;
        }
        return relu;
    }

    /** Blocked after a conv and after layers fed by a blocked tensor; row-major for the input and 2-D tensors. */
    private static boolean isBlocked(Node node, int rank, boolean firstInputBlocked) {
        LayerSpec s = node.spec();
        if (rank != 4 || s instanceof LayerSpec.Flatten || s instanceof LayerSpec.Linear) {
            return false;
        }
        return s instanceof LayerSpec.Conv2d || firstInputBlocked;
    }

    private memory.desc layoutOf(boolean blocked, long[] dims) {
        return blocked ? Dnnl.layout(dims, activationLayout) : Dnnl.plain(dims);
    }

    private LayerKernel kernel(Node node, ParameterStore p, DnnlTensor[] in, DnnlTensor[] inGrads, DnnlTensor y,
                               DnnlTensor gy, boolean inputGradientNeeded) {
        LayerSpec s = node.spec();
        DnnlTensor x = in[0];
        DnnlTensor gx = inGrads[0];
        if (s instanceof LayerSpec.Conv2d c) {
            return new DnnlConv(d, c, algorithm, p.tensor(node.id(), TensorKind.WEIGHT), p.find(node.id(), TensorKind.BIAS).orElse(null),
                    p.gradient(node.id(), TensorKind.WEIGHT), p.findGradient(node.id(), TensorKind.BIAS).orElse(null),
                    x, inputGradientNeeded ? gx : null, y, gy);
        } else if (s instanceof LayerSpec.BatchNorm b) {
            return new DnnlBatchNorm(d, b, p, node.id(), x, gx, y, gy, null, null);
        } else if (s instanceof LayerSpec.Relu) {
            return DnnlRelu.create(d, x, gx, y, gy);
        } else if (s instanceof LayerSpec.MaxPool m) {
            return DnnlPool.max(d, m.kernel(), m.stride(), m.padding(), x, gx, y, gy);
        } else if (s instanceof LayerSpec.AvgPool m) {
            return DnnlPool.avg(d, m.kernel(), m.stride(), x, gx, y, gy);
        } else if (s instanceof LayerSpec.GlobalAvgPool) {
            return DnnlPool.global(d, x, gx, y, gy);
        } else if (s instanceof LayerSpec.Flatten) {
            return DnnlReorder.flatten(d, x, gx, y, gy);
        } else if (s instanceof LayerSpec.Add) {
            return new DnnlAdd(d, in, y);
        } else if (s instanceof LayerSpec.Linear l) {
            if (x.dims().length != 2) {
                throw new UnsupportedOperationException("Linear layer '" + node.id() + "' on a rank-" + x.dims().length
                        + " input");
            }
            return new DnnlLinear(d, l, p.tensor(node.id(), TensorKind.WEIGHT), p.find(node.id(), TensorKind.BIAS).orElse(null),
                    p.gradient(node.id(), TensorKind.WEIGHT), p.findGradient(node.id(), TensorKind.BIAS).orElse(null),
                    x, inputGradientNeeded ? gx : null, y, gy);
        }
        throw new UnsupportedOperationException("No oneDNN kernel for layer '" + node.id() + "' of type " + s.type());
    }

    /** Batch norms that also apply the ReLU after them. */
    List<LayerId> fusedBatchNorms() {
        return maskTargets.keySet().stream().sorted().map(i -> nodes.get(i).id()).toList();
    }

    /** Convs that convert their activations to layouts of their own around each call. */
    List<LayerId> convsInOwnLayouts() {
        List<LayerId> own = new ArrayList<>();
        for (int i = 1; i < kernels.length; i++) {
            if (kernels[i] instanceof DnnlConv c && c.adaptsLayouts()) {
                own.add(nodes.get(i).id());
            }
        }
        return own;
    }

    /** oneDNN's forward kernel per conv, in graph order. */
    Map<LayerId, String> convImplementations() {
        Map<LayerId, String> out = new java.util.LinkedHashMap<>();
        for (int i = 1; i < kernels.length; i++) {
            if (kernels[i] instanceof DnnlConv c) {
                out.put(nodes.get(i).id(), c.implementation());
            }
        }
        return out;
    }

    memory.format_tag activationLayout() {
        return activationLayout;
    }

    /**
     * How many conv passes run on each oneDNN kernel ({@code jit:avx2 x12, jit_wino_4x3:avx512_core x6}):
     * the one line that shows which ISA and algorithms a plan took.
     */
    String convKernelCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String passes : convImplementations().values()) {
            for (String pass : passes.split(", ")) {
                counts.merge(pass.substring(pass.lastIndexOf(' ') + 1), 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" x").append(n));
        return b.toString();
    }

    /** Layers whose oneDNN primitives run the reference (unoptimised) implementation. */
    List<String> referenceKernels() {
        List<String> slow = new ArrayList<>();
        for (int i = 1; i < kernels.length; i++) {
            if (kernels[i] instanceof DnnlConv c && c.usesReferenceKernel()) {
                slow.add(nodes.get(i).id().value());
            }
        }
        return slow;
    }

    private static boolean isRowMajor(DnnlTensor t) {
        return t.desc().equals(Dnnl.plain(t.dims()));
    }

    /** The tensor's buffer seen with its logical shape; only for row-major tensors. */
    private static INDArray rowMajor(DnnlTensor t) {
        if (!isRowMajor(t)) {
            throw new IllegalStateException("Tensor of dims " + java.util.Arrays.toString(t.dims()) + " is not row-major");
        }
        long len = 1;
        for (long v : t.dims()) {
            len *= v;
        }
        return t.buffer().get(NDArrayIndex.interval(0, len)).reshape(t.dims());
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public INDArray input() {
        return input;
    }

    @Override
    public INDArray output() {
        return output;
    }

    @Override
    public INDArray outputGradient() {
        return outputGradient;
    }

    @Override
    public INDArray activation(LayerId id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                if (maskTargets.containsKey(i)) {
                    throw new IllegalStateException("Layer " + id + " runs fused with the ReLU after it; its own output "
                            + "is not stored (ask for " + nodes.get(maskTargets.get(i)).id() + ")");
                }
                return toRowMajor(activations[i]);
            }
        }
        throw new IllegalArgumentException("Unknown layer " + id);
    }

    /** A row-major copy (allocated per call: diagnostics only). */
    private INDArray toRowMajor(DnnlTensor t) {
        if (isRowMajor(t)) {
            return rowMajor(t).dup();
        }
        INDArray copy = Nd4j.create(DataType.FLOAT, t.dims());
        memory dst = d.bind(Dnnl.plain(t.dims()), copy);
        new reorder(t.mem(), dst).execute(d.stream, t.mem(), dst);
        return copy;
    }

    @Override
    protected void applyChannelMask(int i, INDArray mask) {
        // ReLU(x) * m = ReLU(x * m) for a 0/1 mask, so masking the fused output is the same.
        applyMask(activations[maskTargets.getOrDefault(i, i)], mask);
    }

    /** Test-only path (pruned-equals-masked): through a row-major copy and back. */
    private void applyMask(DnnlTensor t, INDArray mask) {
        INDArray plain = toRowMajor(t);
        Nd4j.exec(new BroadcastMulOp(plain, mask, plain, 1));
        memory src = d.bind(Dnnl.plain(t.dims()), plain);
        new reorder(src, t.mem()).execute(d.stream, src, t.mem());
    }

    @Override
    protected void sumGradient(int i) {
        if (gradientSums[i] != null) {
            // A oneDNN add: a libnd4j op here would wake libnd4j's OpenMP team between oneDNN calls.
            gradientSums[i].forward(true);
        }
    }

    /** Which activation layouts a plan may use: normally AUTO; tests pin one to cover both. */
    enum LayoutChoice {
        AUTO, BLOCKED, CHANNELS_LAST
    }

    /**
     * Flat float buffers by name, sized for the largest batch; a plan for a smaller batch uses a
     * leading part of each (the batch is the outermost dimension of every layout used here).
     */
    static final class Arena {
        private final int capacity;
        private final LayoutChoice choice;
        private final ConvAlgorithm algorithm;
        private final Map<String, INDArray> buffers = new HashMap<>();
        private memory.format_tag layout;

        Arena(int capacity, LayoutChoice choice) {
            this(capacity, choice, ConvAlgorithm.select());
        }

        Arena(int capacity, LayoutChoice choice, ConvAlgorithm algorithm) {
            this.capacity = capacity;
            this.choice = choice;
            this.algorithm = algorithm;
        }

        DnnlTensor tensor(Dnnl d, String key, long[] dims, memory.desc layout, memory.desc capacityLayout) {
            long full = Dnnl.elements(capacityLayout);
            INDArray flat = buffers.get(key);
            if (flat == null || flat.length() < full) {
                // A layout probe may have sized this buffer for a smaller layout.
                flat = Nd4j.create(DataType.FLOAT, full);
                buffers.put(key, flat);
            }
            long len = Dnnl.elements(layout);
            INDArray buffer = len == flat.length() ? flat : flat.get(NDArrayIndex.interval(0, len));
            return new DnnlTensor(dims, layout, buffer, d.bind(layout, buffer));
        }

        void close() {
            buffers.values().forEach(INDArray::close);
            buffers.clear();
        }
    }
}
