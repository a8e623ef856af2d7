package org.ocsp.modelops.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * The ND4J engine: libnd4j custom ops bound to activation and gradient buffers for one batch
 * size. Runs any data type (float64 for the gradient checks) and on ND4J's CUDA backend.
 * Buffers are views of arenas sized for the largest batch, so plans for smaller batches
 * (the last partial batch, evaluation) share memory and nothing is allocated per step.
 */
final class Nd4jPlan extends SequencedPlan {
    private final List<Node> nodes;
    private final LayerKernel[] kernels;
    private final INDArray[] activations;
    private final INDArray[] gradients;
    private final List<List<INDArray>> gradientSums;
    private final int batch;

    Nd4jPlan(NetworkGraph graph, ParameterStore params, Arena arena, int batch) {
        this.batch = batch;
        this.nodes = graph.nodes();
        int n = nodes.size();
        Map<LayerId, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i).id(), i);
        }
        activations = new INDArray[n];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            if (node.spec() instanceof LayerSpec.Flatten) {
                activations[i] = activations[index.get(node.inputs().get(0))].reshape(batch, graph.shape(node.id()).channels());
            } else {
                activations[i] = arena.activation(node.id(), batch);
            }
        }
        GradientRouting<INDArray> routing = new GradientRouting<>(graph, Nd4jPlan::isPassThrough,
                new GradientRouting.Buffers<>() {
                    @Override
                    public INDArray own(int node) {
                        return arena.gradient(nodes.get(node).id(), batch);
                    }

                    @Override
                    public INDArray contribution(int node, int k) {
                        return arena.scratch(nodes.get(node).id(), k, batch);
                    }

                    @Override
                    public INDArray alias(INDArray readerGradient, int node) {
                        return readerGradient.reshape(activations[node].shape());
                    }
                });
        gradients = new INDArray[n];
        gradientSums = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gradients[i] = routing.gradient(i);
            gradientSums.add(routing.sums(i));
        }
        kernels = new LayerKernel[n];
        for (int i = 1; i < n; i++) {
            Node node = nodes.get(i);
            INDArray[] ins = new INDArray[node.inputs().size()];
            for (int s = 0; s < ins.length; s++) {
                ins[s] = activations[index.get(node.inputs().get(s))];
            }
            boolean readsOnlyInput = node.inputs().stream().allMatch(in -> index.get(in) == 0);
            KernelArgs args = new KernelArgs(ins, routing.inputGradients(i).toArray(new INDArray[0]), activations[i],
                    gradients[i], !readsOnlyInput);
            kernels[i] = KernelFactory.create(node, params, args, arena::workspace);
        }
        sequence(nodes, kernels);
    }

    private static boolean isPassThrough(LayerSpec s) {
        return s instanceof LayerSpec.Add || s instanceof LayerSpec.Flatten;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public INDArray input() {
        return activations[0];
    }

    @Override
    public INDArray output() {
        return activations[activations.length - 1];
    }

    @Override
    public INDArray outputGradient() {
        return gradients[gradients.length - 1];
    }

    @Override
    public INDArray activation(LayerId id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return activations[i];
            }
        }
        throw new IllegalArgumentException("Unknown layer " + id);
    }

    @Override
    protected void applyChannelMask(int i, INDArray mask) {
        Nd4j.exec(new BroadcastMulOp(activations[i], mask, activations[i], 1));
    }

    @Override
    protected void sumGradient(int i) {
        if (!gradientSums.get(i).isEmpty()) {
            GradientRouting.sumInto(gradientSums.get(i), gradients[i]);
        }
    }

    /** Named buffers sized for the largest batch; plans take leading-batch views of them. */
    static final class Arena {
        private final NetworkGraph graph;
        private final int capacity;
        private final org.nd4j.linalg.api.buffer.DataType dataType;
        private final Map<String, INDArray> buffers = new HashMap<>();

        Arena(NetworkGraph graph, int capacity, org.nd4j.linalg.api.buffer.DataType dataType) {
            this.graph = graph;
            this.capacity = capacity;
            this.dataType = dataType;
        }

        INDArray activation(LayerId id, int batch) {
            return view("a:" + id, id, batch);
        }

        INDArray gradient(LayerId id, int batch) {
            return view("g:" + id, id, batch);
        }

        INDArray scratch(LayerId id, int k, int batch) {
            return view("s" + k + ":" + id, id, batch);
        }

        private INDArray view(String key, LayerId id, int batch) {
            INDArray full = buffers.computeIfAbsent(key,
                    k -> Nd4j.create(dataType, graph.shape(id).withBatch(capacity)));
            if (batch == capacity) {
                return full;
            }
            long[] shape = graph.shape(id).withBatch(batch);
            INDArray v = full.get(NDArrayIndex.interval(0, batch));
            return v.reshape(shape);
        }

        /**
         * Scratch memory of the given shape that kernels may use inside one forward or backward
         * call (never across calls): every caller gets a view of the same buffer, sized for the
         * largest activation of the graph at full capacity.
         */
        INDArray workspace(long[] shape) {
            long len = 1;
            for (long d : shape) {
                len *= d;
            }
            INDArray flat = buffers.computeIfAbsent("workspace", k -> Nd4j.create(dataType, largestActivation()));
            if (len > flat.length()) {
                throw new IllegalArgumentException("Workspace of " + len + " elements requested, arena has " + flat.length());
            }
            return flat.get(NDArrayIndex.interval(0, len)).reshape(shape);
        }

        private long largestActivation() {
            long max = 1;
            for (Node n : graph.nodes()) {
                long len = 1;
                for (long d : graph.shape(n.id()).withBatch(capacity)) {
                    len *= d;
                }
                max = Math.max(max, len);
            }
            return max;
        }

        void close() {
            buffers.values().forEach(INDArray::close);
            buffers.clear();
        }
    }
}
