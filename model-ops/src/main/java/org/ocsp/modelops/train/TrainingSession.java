package org.ocsp.modelops.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.engine.Engine;
import org.ocsp.modelops.engine.Initializer;
import org.ocsp.modelops.engine.Network;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.SoftmaxCrossEntropy;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.io.ModelFile;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.saliency.SaliencyMeasure;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.surgery.ChannelProvenance;
import org.ocsp.modelops.surgery.ChannelSurgery;

/**
 * One run's model in training: network, optimiser, regulariser, schedule position and channel
 * provenance. This is the unit both the offline loop and the Flink trainer operator drive, so
 * both execute exactly the same steps.
 *
 * <pre>{@code
 * try (TrainingSession s = TrainingSession.create(graph, settings)) {
 *     s.trainBatch(features, labels, n);        // forward, backward, SGD, penalty shrink
 *     GroupScores scores = s.saliency();        // at an epoch boundary
 *     s.setPenalty(mask, lambda);               // from the stability decision
 *     PruneResult r = s.prune(mask);            // at t*
 * }
 * }</pre>
 * Masks passed in use ORIGINAL channel indices; before any surgery they equal current ones.
 */
public final class TrainingSession implements AutoCloseable {
    private final TrainingSettings settings;
    private final LearningRateSchedule schedule;
    private NetworkGraph graph;
    private ParameterStore params;
    private Network network;
    private SgdOptimizer optimizer;
    private SparsityRegularizer regularizer;
    private List<ChannelGroup> groups;
    private final List<ChannelGroup> originalGroups;
    private ChannelProvenance provenance;
    private final SaliencyMeasure saliency;
    private double lambda;
    private long iteration;
    private boolean pruned;

    private TrainingSession(NetworkGraph graph, ParameterStore params, TrainingSettings settings, long iteration) {
        this.settings = settings;
        this.schedule = settings.schedule();
        this.graph = graph;
        this.params = params;
        this.groups = ChannelGroups.derive(graph);
        this.originalGroups = groups;
        this.provenance = ChannelProvenance.identity(groups);
        this.saliency = settings.saliency().measure(graph, g -> CostModel.of(g).flops(), settings.costAware());
        this.iteration = iteration;
        bind();
    }

    /** A freshly initialised dense network (seeded). */
    public static TrainingSession create(NetworkGraph graph, TrainingSettings settings) {
        ParameterStore p = ParameterStore.allocate(graph, DataType.FLOAT);
        new Initializer(settings.seed()).initialize(graph, p);
        return new TrainingSession(graph, p, settings, 0);
    }

    private void bind() {
        this.network = new Network(graph, params, settings.batchSize(), settings.execution());
        this.optimizer = new SgdOptimizer(params, settings.sgd());
        this.regularizer = new SparsityRegularizer(params);
    }

    /** The engine its network runs on: the run's {@code engine} setting, resolved on this machine. */
    public Engine engine() {
        return network.engine();
    }

    public NetworkGraph graph() {
        return graph;
    }

    public ParameterStore params() {
        return params;
    }

    /** Groups of the ORIGINAL dense graph (the ids masks and events use). */
    public List<ChannelGroup> groups() {
        return originalGroups;
    }

    public ChannelProvenance provenance() {
        return provenance;
    }

    public long iteration() {
        return iteration;
    }

    public boolean isPruned() {
        return pruned;
    }

    public double learningRate() {
        return schedule.lr(iteration);
    }

    public long flops() {
        return CostModel.of(graph).flops();
    }

    public long parameterCount() {
        return CostModel.of(graph).params();
    }

    /** One SGD step on a batch; the penalty (if set) shrinks after the optimiser step. */
    public StepResult trainBatch(float[] features, int[] labels, int n) {
        HostTransfer.copyInto(network.input(n), features, n);
        INDArray logits = network.forward(n, true);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, labels, n, network.outputGradient(n));
        network.backward(n);
        double lr = schedule.lr(iteration);
        optimizer.step(lr, regularizer, lambda);
        iteration++;
        return new StepResult(r.loss(), r.correct(), n);
    }

    /** Forward pass in evaluation mode (running BN statistics); no state changes. */
    public StepResult evalBatch(float[] features, int[] labels, int n) {
        HostTransfer.copyInto(network.input(n), features, n);
        INDArray logits = network.forward(n, false);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, labels, n, null);
        return new StepResult(r.loss(), r.correct(), n);
    }

    /** Channel saliency of the current dense weights, per original group. */
    public GroupScores saliency() {
        if (pruned) {
            throw new IllegalStateException("Saliency is only computed on the dense network (already pruned)");
        }
        return saliency.scores(groups, params);
    }

    /** Penalise the channels the mask removes with strength lambda, from the next step on. */
    public void setPenalty(SubnetworkMask mask, double lambda) {
        checkDense("set a penalty");
        regularizer.target(groups, mask);
        this.lambda = lambda;
    }

    public void clearPenalty() {
        regularizer.clear();
        this.lambda = 0;
    }

    public double lambda() {
        return lambda;
    }

    private void checkDense(String what) {
        if (pruned) {
            throw new IllegalStateException("Cannot " + what + ": the network has already been pruned");
        }
    }

    /**
     * Physically removes the channels the mask does not keep. A fresh optimiser starts (momentum
     * reset), the schedule keeps its position, and the penalty is dropped.
     */
    public PruneResult prune(SubnetworkMask mask) {
        checkDense("prune");
        long flopsBefore = flops();
        long paramsBefore = parameterCount();
        Map<String, Integer> before = new LinkedHashMap<>();
        Map<String, Integer> after = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            before.put(g.id(), g.width());
            after.put(g.id(), mask.groupIds().contains(g.id()) ? mask.keptCount(g.id()) : g.width());
        }
        ChannelSurgery.PrunedModel smaller = ChannelSurgery.apply(graph, params, groups, mask);
        closeModel();
        graph = smaller.graph();
        params = smaller.params();
        provenance = provenance.afterSurgery(mask);
        groups = ChannelGroups.derive(graph);
        lambda = 0;
        pruned = true;
        bind();
        return new PruneResult(provenance.asMask(), before, after, flopsBefore, flops(), paramsBefore, parameterCount());
    }

    /**
     * The optimiser's momentum buffer (aligned with {@code params().flatParams()}), if a step has
     * been taken since the last surgery; with the parameters and {@link #iteration()} it is the
     * whole training state a checkpoint needs.
     */
    public java.util.Optional<float[]> momentum() {
        if (!optimizer.hasMomentum()) {
            return java.util.Optional.empty();
        }
        return optimizer.velocity().map(v -> v.dup().data().asFloat());
    }

    /**
     * Restores the schedule position and momentum saved from {@link #iteration()} and
     * {@link #momentum()} (checkpoint restore; parameters are restored through {@link #params()}).
     */
    public void restorePosition(long iteration, java.util.Optional<float[]> momentum) {
        if (iteration < 0) {
            throw new IllegalArgumentException("Invalid value " + iteration + " for iteration: must be >= 0");
        }
        this.iteration = iteration;
        momentum.ifPresent(optimizer::restoreMomentum);
    }

    /** Saves the current network with its provenance; returns the file's SHA-256. */
    public String save(Path file) throws IOException {
        return ModelFile.save(file, graph, params, provenance);
    }

    private void closeModel() {
        network.close();
        optimizer.close();
        regularizer.close();
        params.close();
    }

    @Override
    public void close() {
        closeModel();
    }
}
