package org.ocsp.modelops.engine;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.NetworkGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A graph bound to its parameters and to preallocated buffers: forward, backward, nothing
 * allocated per step. Owns the activation arena, not the parameters.
 *
 * <pre>{@code
 * try (Network net = new Network(graph, params, 128)) {
 *     INDArray x = net.input(128);           // fill in place
 *     INDArray logits = net.forward(128, true);
 *     loss.compute(logits, labels, net.outputGradient(128));
 *     net.backward(128);                     // gradients now in params.flatGradients()
 * }
 * }</pre>
 */
public final class Network implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Network.class);
    private final NetworkGraph graph;
    private final ParameterStore params;
    private final int maxBatch;
    private final Nd4jPlan.Arena nd4jArena;
    private final DnnlPlan.Arena dnnlArena;
    private Engine engine;
    private final Map<Integer, ExecutionPlan> plans = new HashMap<>();
    private Map<LayerId, INDArray> channelMasks = Map.of();
    private LayerTimings timings;

    /** A network outside a run: engine and conv algorithm from {@link Execution#fromSystemProperties()}. */
    public Network(NetworkGraph graph, ParameterStore params, int maxBatch) {
        this(graph, params, maxBatch, Execution.fromSystemProperties());
    }

    /** A network computed as {@code execution} says (a run's settings). */
    public Network(NetworkGraph graph, ParameterStore params, int maxBatch, Execution execution) {
        this(graph, params, maxBatch, execution.engine().resolve(params.dataType()), DnnlPlan.LayoutChoice.AUTO,
                execution.convAlgorithm());
    }

    /** A network on a given engine (tests compare the engines). */
    Network(NetworkGraph graph, ParameterStore params, int maxBatch, Engine engine) {
        this(graph, params, maxBatch, engine, DnnlPlan.LayoutChoice.AUTO);
    }

    /** A network on a given engine and oneDNN activation layout (tests cover both layouts). */
    Network(NetworkGraph graph, ParameterStore params, int maxBatch, Engine engine, DnnlPlan.LayoutChoice layout) {
        this(graph, params, maxBatch, engine, layout, ConvAlgorithm.select());
    }

    /** ... and conv algorithm (tests cover both). */
    Network(NetworkGraph graph, ParameterStore params, int maxBatch, Engine engine, DnnlPlan.LayoutChoice layout,
            ConvAlgorithm algorithm) {
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("Invalid value " + maxBatch + " for maxBatch: must be > 0");
        }
        this.graph = graph;
        this.params = params;
        this.maxBatch = maxBatch;
        this.nd4jArena = new Nd4jPlan.Arena(graph, maxBatch, params.dataType());
        this.dnnlArena = new DnnlPlan.Arena(maxBatch, layout, algorithm);
        this.engine = engine;
    }

    /** The engine running this network's layers (oneDNN for float32 on the CPU unless told otherwise). */
    public Engine engine() {
        return engine;
    }

    public NetworkGraph graph() {
        return graph;
    }

    public ParameterStore params() {
        return params;
    }

    public int maxBatch() {
        return maxBatch;
    }

    private ExecutionPlan plan(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("Invalid batch size " + batch + ": this network was built for 1.." + maxBatch);
        }
        return plans.computeIfAbsent(batch, b -> {
            ExecutionPlan p = newPlan(b);
            channelMasks.forEach(p::setChannelMask);
            p.setTimings(timings);
            return p;
        });
    }

    private ExecutionPlan newPlan(int batch) {
        if (engine == Engine.ONEDNN) {
            try {
                return DnnlPlan.build(Dnnl.get().orElseThrow(), graph, params, dnnlArena, batch);
            } catch (UnsupportedOperationException e) {
                LOG.info("Network falls back to the ND4J engine: {}", e.getMessage());
                engine = Engine.ND4J;
            }
        }
        return new Nd4jPlan(graph, params, nd4jArena, batch);
    }

    /** The input buffer for a batch of this size, [N, C, H, W]; write the batch into it. */
    public INDArray input(int batch) {
        return plan(batch).input();
    }

    /** Runs the network on whatever is in {@link #input(int)}; returns the logits buffer. */
    public INDArray forward(int batch, boolean training) {
        ExecutionPlan p = plan(batch);
        p.forward(training);
        return p.output();
    }

    /** Where the loss writes dL/dlogits before {@link #backward(int)}. */
    public INDArray outputGradient(int batch) {
        return plan(batch).outputGradient();
    }

    /** Back-propagates the output gradient; parameter gradients are overwritten. */
    public void backward(int batch) {
        plan(batch).backward();
    }

    /** The activation buffer of a layer after the last forward pass (for tests and saliency). */
    public INDArray activation(int batch, LayerId id) {
        return plan(batch).activation(id);
    }

    /**
     * Forces channels of layer outputs to zero where the mask is 0 (vectors of length C per
     * layer). Used to check that surgery equals masking; forward only.
     */
    public void setChannelMasks(Map<LayerId, INDArray> masks) {
        this.channelMasks = Map.copyOf(masks);
        for (ExecutionPlan p : plans.values()) {
            p.clearChannelMasks();
            masks.forEach(p::setChannelMask);
        }
    }

    /**
     * Attaches opt-in per-layer timing to every plan of this network (see {@link LayerTimings});
     * null detaches it. Off by default; when off the step costs one null check per layer.
     */
    public void setTimings(LayerTimings t) {
        this.timings = t;
        for (ExecutionPlan p : plans.values()) {
            p.setTimings(t);
        }
    }

    @Override
    public void close() {
        plans.clear();
        nd4jArena.close();
        dnnlArena.close();
    }
}
