package org.ocsp.modelops.saliency;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GraphResizer;

/**
 * The reference's cost-aware factor: cost_g = FLOPs saved by removing one channel of group g,
 * p = softmax over groups of cost_g / 1e6, score = base score * (1 - p_g). Channels whose
 * removal saves more compute become cheaper to prune.
 */
public final class CostAwareSaliency implements SaliencyMeasure {
    private final SaliencyMeasure base;
    private final NetworkGraph graph;
    private final ToDoubleFunction<NetworkGraph> flops;
    private Map<String, Double> factors;

    public CostAwareSaliency(SaliencyMeasure base, NetworkGraph graph, ToDoubleFunction<NetworkGraph> flops) {
        this.base = base;
        this.graph = graph;
        this.flops = flops;
    }

    /** 1 - p_g per group; depends only on the architecture, so computed once. */
    public Map<String, Double> factors(List<ChannelGroup> groups) {
        if (factors == null) {
            double dense = flops.applyAsDouble(graph);
            double[] cost = new double[groups.size()];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < groups.size(); i++) {
                ChannelGroup g = groups.get(i);
                if (g.width() < 2) {
                    cost[i] = 0;
                } else {
                    Map<String, Integer> w = new HashMap<>();
                    w.put(g.id(), g.width() - 1);
                    cost[i] = (dense - flops.applyAsDouble(GraphResizer.withWidths(graph, groups, w))) / 1e6;
                }
                max = Math.max(max, cost[i]);
            }
            double sum = 0;
            double[] e = new double[cost.length];
            for (int i = 0; i < cost.length; i++) {
                e[i] = Math.exp(cost[i] - max);
                sum += e[i];
            }
            Map<String, Double> f = new LinkedHashMap<>();
            for (int i = 0; i < cost.length; i++) {
                f.put(groups.get(i).id(), 1 - e[i] / sum);
            }
            factors = f;
        }
        return factors;
    }

    @Override
    public GroupScores scores(List<ChannelGroup> groups, ParameterStore params) {
        GroupScores raw = base.scores(groups, params);
        Map<String, Double> f = factors(groups);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            double[] s = raw.of(g.id());
            double k = f.get(g.id());
            for (int c = 0; c < s.length; c++) {
                s[c] *= k;
            }
            out.put(g.id(), s);
        }
        return new GroupScores(out);
    }
}
