package org.ocsp.modelops.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.GraphResizer;
import org.ocsp.modelops.saliency.GroupScores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the sub-network M_t for a FLOPs-reduction target: per-group limit, one global
 * ranking of every unprotected channel, then a binary search over how many of the lowest
 * ranked channels to prune. FLOPs of a candidate are counted from channel counts alone (the
 * model is neither copied nor pruned).
 *
 * <pre>{@code
 * SubnetworkSelector sel = new SubnetworkSelector(graph, groups, FlopsCounter::flops, PruningLimit.reference());
 * Selection s = sel.select(scores, 0.5);   // s.mask(): kept original indices per group
 * }</pre>
 * Of the candidate prefixes, the one whose reduction is closest to the target wins; with fine
 * enough channels that is within 5e-4 of the target (the reference's tolerance). A selection
 * farther away than the tolerance ({@link #withFlopsTolerance}) is logged as a warning.
 *
 * <p>{@link #withChannelMultiple(int)} keeps every group's width a multiple of a block (or its
 * full width), like Torch-Pruning's {@code round_to}: CPU kernels in oneDNN's blocked layout pad
 * channels to 16 (AVX-512) or 8 (AVX2), so 21 channels cost as much as 32 and a pruned network
 * would not get faster in proportion to its FLOPs. Each group then loses its lowest-ranked
 * channels of the prefix in whole blocks only.
 */
public final class SubnetworkSelector {
    /** The reference's accepted distance between the achieved and the target reduction. */
    public static final double REFERENCE_TOLERANCE = 5e-4;
    private static final Logger LOG = LoggerFactory.getLogger(SubnetworkSelector.class);

    private final NetworkGraph graph;
    private final List<ChannelGroup> groups;
    private final ToDoubleFunction<NetworkGraph> flops;
    private final PruningLimit limit;
    private final double denseFlops;
    private final int channelMultiple;
    private final double tolerance;

    public SubnetworkSelector(NetworkGraph graph, List<ChannelGroup> groups, ToDoubleFunction<NetworkGraph> flops,
                              PruningLimit limit) {
        this(graph, groups, flops, limit, 1, REFERENCE_TOLERANCE);
    }

    private SubnetworkSelector(NetworkGraph graph, List<ChannelGroup> groups, ToDoubleFunction<NetworkGraph> flops,
                               PruningLimit limit, int channelMultiple, double tolerance) {
        if (channelMultiple < 1) {
            throw new IllegalArgumentException("Invalid value " + channelMultiple + " for configuration channelMultiple: must be >= 1");
        }
        this.graph = graph;
        this.groups = List.copyOf(groups);
        this.flops = flops;
        this.limit = limit;
        this.denseFlops = flops.applyAsDouble(graph);
        this.channelMultiple = channelMultiple;
        this.tolerance = tolerance;
    }

    /** The same selector, keeping each group's width a multiple of {@code multiple} channels (or the full width). */
    public SubnetworkSelector withChannelMultiple(int multiple) {
        return new SubnetworkSelector(graph, groups, flops, limit, multiple, tolerance);
    }

    /**
     * The same selector, warning when the chosen sub-network's reduction is farther than
     * {@code tolerance} from the target (the per-group limits or the channel blocks do not allow it).
     */
    public SubnetworkSelector withFlopsTolerance(double tolerance) {
        if (!(tolerance >= 0 && Double.isFinite(tolerance))) {
            throw new IllegalArgumentException("Invalid value " + tolerance + " for configuration flops-tolerance: "
                    + "must be finite and >= 0");
        }
        return new SubnetworkSelector(graph, groups, flops, limit, channelMultiple, tolerance);
    }

    private record Candidate(int group, int channel, double score) {
    }

    /** An unprotected channel in the global ranking. */
    public record RankedChannel(String groupId, int channel, double score) {
    }

    /**
     * Every channel the per-group limit leaves unprotected, lowest-ranked first: the order in which
     * {@link #select} removes them (a selection removes a prefix of it).
     */
    public List<RankedChannel> ranking(GroupScores scores) {
        List<Candidate> candidates = new ArrayList<>();
        rank(scores, candidates, new ArrayList<>());
        return candidates.stream().map(c -> new RankedChannel(groups.get(c.group()).id(), c.channel(), c.score())).toList();
    }

    public Selection select(GroupScores scores, double targetReduction) {
        if (!(targetReduction >= 0 && targetReduction < 1)) {
            throw new IllegalArgumentException("Invalid value " + targetReduction
                    + " for configuration targetReduction: must be in [0, 1)");
        }
        List<Candidate> candidates = new ArrayList<>();
        List<Integer> protectedCounts = new ArrayList<>();
        rank(scores, candidates, protectedCounts);
        // reduction(k) grows with k: find the first prefix reaching the target, then the closer neighbour.
        int lo = 0;
        int hi = candidates.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (reduction(candidates, mid) >= targetReduction) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int best = lo;
        if (lo > 0 && Math.abs(reduction(candidates, lo - 1) - targetReduction) <= Math.abs(reduction(candidates, lo) - targetReduction)) {
            best = lo - 1;
        }
        Selection chosen = new Selection(mask(candidates, best), denseFlops, flopsOf(candidates, best),
                Arrays.stream(removed(candidates, best)).sum(), protectedCounts, threshold(candidates, best));
        if (!chosen.meets(targetReduction, tolerance)) {
            LOG.warn("The closest sub-network removes {} of the FLOPs, {} from the target {} (flops-tolerance {}): "
                            + "{} of {} prunable channels are candidates under the per-group limit {}, channel blocks of {}",
                    String.format("%.4f", chosen.reduction()), String.format("%.4f", Math.abs(chosen.reduction()
                            - targetReduction)), targetReduction, tolerance, best, candidates.size(), limit,
                    channelMultiple);
        }
        return chosen;
    }

    /** Fills the global ranking (lowest first) and each group's protected count. */
    private void rank(GroupScores scores, List<Candidate> candidates, List<Integer> protectedCounts) {
        for (int gi = 0; gi < groups.size(); gi++) {
            ChannelGroup g = groups.get(gi);
            double[] s = scores.of(g.id());
            if (s.length != g.width()) {
                throw new IllegalArgumentException("Scores for group " + g.id() + " have " + s.length
                        + " entries, group width is " + g.width());
            }
            Integer[] order = new Integer[s.length];
            for (int c = 0; c < s.length; c++) {
                order[c] = c;
            }
            // Ascending by score, ties by index: the lowest maxPrunable channels are candidates.
            Arrays.sort(order, Comparator.<Integer>comparingDouble(c -> s[c]).thenComparingInt(c -> c));
            int n = limit.maxPrunable(g.width());
            protectedCounts.add(g.width() - n);
            for (int i = 0; i < n; i++) {
                candidates.add(new Candidate(gi, order[i], s[order[i]]));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).thenComparingInt(Candidate::group)
                .thenComparingInt(Candidate::channel));
    }

    /** Channels each group loses with the first {@code k} candidates, in whole blocks of the channel multiple. */
    private int[] removed(List<Candidate> c, int k) {
        int[] removed = new int[groups.size()];
        for (int i = 0; i < k; i++) {
            removed[c.get(i).group()]++;
        }
        for (int gi = 0; gi < removed.length; gi++) {
            int width = groups.get(gi).width();
            int kept = width - removed[gi];
            int rounded = Math.min(width, (kept + channelMultiple - 1) / channelMultiple * channelMultiple);
            removed[gi] = width - rounded;
        }
        return removed;
    }

    private double reduction(List<Candidate> c, int k) {
        return 1 - flopsOf(c, k) / denseFlops;
    }

    private double flopsOf(List<Candidate> c, int k) {
        int[] removed = removed(c, k);
        Map<String, Integer> widths = new HashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            if (removed[gi] > 0) {
                widths.put(groups.get(gi).id(), groups.get(gi).width() - removed[gi]);
            }
        }
        return flops.applyAsDouble(GraphResizer.withWidths(graph, groups, widths));
    }

    /** The highest score among the channels the first {@code k} candidates remove (whole blocks only). */
    private OptionalDouble threshold(List<Candidate> c, int k) {
        int[] left = removed(c, k);
        OptionalDouble highest = OptionalDouble.empty();
        for (int i = 0; i < k; i++) {
            Candidate x = c.get(i);
            if (left[x.group()] > 0) {
                left[x.group()]--;
                highest = OptionalDouble.of(x.score()); // candidates ascend by score
            }
        }
        return highest;
    }

    private SubnetworkMask mask(List<Candidate> c, int k) {
        boolean[][] pruned = new boolean[groups.size()][];
        for (int gi = 0; gi < groups.size(); gi++) {
            pruned[gi] = new boolean[groups.get(gi).width()];
        }
        // Within a group the prefix lists channels lowest score first, so its first removed[g] go.
        int[] left = removed(c, k);
        for (int i = 0; i < k; i++) {
            Candidate x = c.get(i);
            if (left[x.group()] > 0) {
                pruned[x.group()][x.channel()] = true;
                left[x.group()]--;
            }
        }
        SubnetworkMask.Builder b = SubnetworkMask.builder();
        for (int gi = 0; gi < groups.size(); gi++) {
            int[] kept = new int[groups.get(gi).width()];
            int n = 0;
            for (int ch = 0; ch < kept.length; ch++) {
                if (!pruned[gi][ch]) {
                    kept[n++] = ch;
                }
            }
            b.put(groups.get(gi).id(), Arrays.copyOf(kept, n));
        }
        return b.build();
    }
}
