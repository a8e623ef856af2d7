package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.PruningEvent;

/**
 * Rebuilds the final architecture of a run from its log alone: the dense network named by
 * RunStarted, resized (model-ops {@code GraphResizer}) to the kept channels of the PruningEvent's
 * final mask.
 *
 * <pre>{@code
 * PrunedArchitecture a = ArchitectureReplay.rebuild(log);
 * a.layers().forEach(l -> System.out.println(l.layer() + " " + l.outBefore() + " -> " + l.outAfter()));
 * }</pre>
 */
public final class ArchitectureReplay {
    private ArchitectureReplay() {
    }

    /**
     * @throws NoSuchRunException if the log has no RunStarted
     * @throws IllegalArgumentException if the final mask does not fit the architecture
     */
    public static PrunedArchitecture rebuild(RunLog log) {
        RunSpecView view = RunSpecView.of(log.runStarted().getSpec());
        Optional<PruningEvent> pe = log.first(RecordType.PRUNING_EVENT, PruningEvent.class);
        SubnetworkMask kept;
        if (pe.isPresent()) {
            List<String> ids = view.groups().stream().map(ChannelGroup::id).toList();
            List<String> logged = pe.get().getFinalMask().stream().map(g -> String.valueOf(g.getGroupId())).toList();
            if (!ids.equals(logged)) {
                throw new IllegalArgumentException("PruningEvent.finalMask has groups " + logged
                        + ", the architecture " + view.spec().getArchitecture() + " has " + ids);
            }
            kept = RunSpecView.mask(pe.get().getFinalMask());
        } else {
            SubnetworkMask.Builder b = SubnetworkMask.builder();
            view.groups().forEach(g -> b.put(g.id(), IntStream.range(0, g.width()).toArray()));
            kept = b.build();
        }
        Map<String, Integer> originalWidths = new LinkedHashMap<>();
        view.groups().forEach(g -> originalWidths.put(g.id(), g.width()));
        NetworkGraph after = view.resized(RunSpecView.widths(kept));
        List<PrunedArchitecture.LayerWidth> layers = new ArrayList<>();
        for (Node n : view.graph().nodes()) {
            Optional<int[]> b = widths(n.spec());
            if (b.isPresent()) {
                int[] a = widths(after.node(n.id()).spec()).orElseThrow();
                layers.add(new PrunedArchitecture.LayerWidth(n.id().value(), n.spec().type(), b.get()[0], b.get()[1], a[0], a[1]));
            }
        }
        return new PrunedArchitecture(log.runId(), view.spec().getArchitecture(),
                pe.map(p -> OptionalInt.of(p.getTStar())).orElse(OptionalInt.empty()), layers, kept, originalWidths,
                view.denseCost(), CostModel.of(after).cost(), after);
    }

    private static Optional<int[]> widths(LayerSpec s) {
        if (s instanceof LayerSpec.Conv2d) {
            LayerSpec.Conv2d c = (LayerSpec.Conv2d) s;
            return Optional.of(new int[] {c.inChannels(), c.outChannels()});
        } else if (s instanceof LayerSpec.Linear) {
            LayerSpec.Linear l = (LayerSpec.Linear) s;
            return Optional.of(new int[] {l.inFeatures(), l.outFeatures()});
        } else if (s instanceof LayerSpec.BatchNorm) {
            LayerSpec.BatchNorm bn = (LayerSpec.BatchNorm) s;
            return Optional.of(new int[] {bn.channels(), bn.channels()});
        }
        return Optional.empty();
    }
}
