package org.ocsp.flink.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.cost.Cost;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.group.GraphResizer;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * What the auditor derives from a logged {@link RunSpec} with the model-ops code alone: the config
 * hash, the stability settings, the dense architecture, its channel groups and costs.
 *
 * <pre>{@code
 * RunSpecView v = RunSpecView.of(runStarted.getSpec());
 * v.configHash();                 // SHA-256 of the canonical Avro bytes, lower-case hex
 * v.stabilityConfig();            // for replaying a StabilityTracker
 * v.cost(v.widths(finalMask));    // FLOPs / params of a sub-network
 * }</pre>
 *
 * <p>The config hash is the flink-job's ({@code org.ocsp.flink.run.RunSpecs.configHash}): SHA-256
 * over the Avro binary encoding of the spec with the current schema. It is recomputed here on
 * purpose, so the audit does not trust the code that wrote the log.
 */
public final class RunSpecView {
    private final RunSpec spec;
    private final NetworkGraph graph;
    private final List<ChannelGroup> groups;
    private final CostModel denseCost;

    private RunSpecView(RunSpec spec) {
        this.spec = spec;
        List<Integer> s = spec.getInputShape();
        if (s.size() != 3) {
            throw new IllegalArgumentException("Invalid value " + s + " for configuration inputShape: must be [C, H, W]");
        }
        this.graph = Architectures.byName(spec.getArchitecture(), spec.getNumClasses(),
                new LayerSpec.Input(s.get(0), s.get(1), s.get(2)));
        this.groups = ChannelGroups.derive(graph);
        this.denseCost = CostModel.of(graph);
    }

    /** @throws IllegalArgumentException (or UnknownArchitectureException) if the spec names no buildable network */
    public static RunSpecView of(RunSpec spec) {
        return new RunSpecView(spec);
    }

    public RunSpec spec() {
        return spec;
    }

    /** SHA-256 of the canonical bytes (Avro binary encoding of the spec), lower-case hex. */
    public String configHash() {
        return configHash(spec);
    }

    /** The job's own hash ({@link RunSpecs#configHash}), so audit and job can never disagree on the algorithm. */
    public static String configHash(RunSpec spec) {
        return RunSpecs.configHash(spec);
    }

    /** The run's stability settings as model-ops reads them. */
    public StabilityConfig stabilityConfig() {
        return RunSpecs.stability(spec);
    }

    public SelectionSettings selection() {
        return RunSpecs.selection(spec);
    }

    public PruningLimit pruningLimit() {
        return selection().limit();
    }

    public NetworkGraph graph() {
        return graph;
    }

    /** Its coupled-channel groups, in graph order (the ids the events use). */
    public List<ChannelGroup> groups() {
        return groups;
    }

    public Cost denseCost() {
        return denseCost.cost();
    }

    /** Group widths (kept counts) of a mask, keyed by group id. */
    public static Map<String, Integer> widths(SubnetworkMask mask) {
        Map<String, Integer> w = new LinkedHashMap<>();
        for (String g : mask.groupIds()) {
            w.put(g, mask.keptCount(g));
        }
        return w;
    }

    /** The network with the given group widths. */
    public NetworkGraph resized(Map<String, Integer> widths) {
        return GraphResizer.withWidths(graph, groups, widths);
    }

    /** FLOPs and parameters of the network with the given group widths. */
    public Cost cost(Map<String, Integer> widths) {
        return CostModel.of(resized(widths)).cost();
    }

    /** A logged mask as a model-ops mask (indices as logged; the builder sorts and rejects duplicates). */
    public static SubnetworkMask mask(List<GroupMask> groups) {
        SubnetworkMask.Builder b = SubnetworkMask.builder();
        for (GroupMask g : groups) {
            b.put(g.getGroupId(), g.getKept().stream().mapToInt(Integer::intValue).toArray());
        }
        return b.build();
    }
}
