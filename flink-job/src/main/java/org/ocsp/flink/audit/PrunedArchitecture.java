package org.ocsp.flink.audit;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.ocsp.modelops.cost.Cost;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * The network a run ends with, rebuilt from its log alone ({@link ArchitectureReplay}).
 *
 * @param runId the run
 * @param architecture the architecture name of RunStarted
 * @param tStar the pruning epoch, empty if the log has no PruningEvent (then the network is dense)
 * @param layers per-layer channel counts before and after pruning (conv, BN, linear layers, graph order)
 * @param kept kept ORIGINAL channel indices per group (every channel for a dense run)
 * @param originalWidths dense width per group
 * @param before FLOPs and parameters of the dense network
 * @param after FLOPs and parameters of the final network
 * @param graph the final network graph
 */
public record PrunedArchitecture(String runId, String architecture, OptionalInt tStar, List<LayerWidth> layers,
                                 SubnetworkMask kept, Map<String, Integer> originalWidths, Cost before, Cost after,
                                 NetworkGraph graph) {
    public PrunedArchitecture {
        layers = List.copyOf(layers);
        originalWidths = Map.copyOf(originalWidths);
    }

    /** Input and output channels (features for linear layers) of one layer, before and after pruning. */
    public record LayerWidth(String layer, String type, int inBefore, int outBefore, int inAfter, int outAfter) {
        public boolean changed() {
            return inBefore != inAfter || outBefore != outAfter;
        }
    }
}
