package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.SelectionInputs;

/**
 * "Why was this channel pruned?" answered from the log alone: at one epoch, the channel's logged
 * score, its rank in its group, whether the per-group limit protected it, its place in the global
 * ranking against the threshold, and its fate in every logged mask and at t*.
 *
 * <pre>{@code
 * ChannelExplanation x = ChannelExplanation.of(log, 4, "features.14", 37);
 * System.out.print(x.describe());
 * }</pre>
 *
 * @param groupRank 1 = the group's highest score
 * @param globalPosition 1-based place in the ranking of unprotected channels, lowest first; empty if protected
 * @param removedAtEpoch how many channels the mask of this epoch removes (a prefix of the ranking)
 * @param removedIn the epochs whose logged mask removes the channel
 * @param keptIn the epochs whose logged mask keeps it
 * @param finalFate at t*: true removed, false kept, empty when the run was not pruned (yet)
 */
public record ChannelExplanation(String runId, int epoch, String groupId, int channel, int groupWidth, double score,
                                 int groupRank, int protectedCount, OptionalInt globalPosition, int unprotected,
                                 int removedAtEpoch, Optional<Double> threshold, boolean removedAtThisEpoch,
                                 List<Integer> removedIn, List<Integer> keptIn, OptionalInt tStar,
                                 Optional<Boolean> finalFate) {

    /**
     * @throws IllegalArgumentException if the epoch has no MaskSnapshot with scores, or the group or
     *     channel does not exist
     */
    public static ChannelExplanation of(RunLog log, int epoch, String groupId, int channel) {
        RunSpecView view = RunSpecView.of(log.runStarted().getSpec());
        MaskSnapshot snapshot = log.at(RecordType.MASK_SNAPSHOT, MaskSnapshot.class, epoch).orElseThrow(
                () -> new IllegalArgumentException("Run '" + log.runId() + "' logged no mask for epoch " + epoch
                        + "; masks were logged for epochs " + maskEpochs(log)));
        SelectionInputs in = snapshot.getSelection();
        if (in == null) {
            throw new IllegalArgumentException("The mask of epoch " + epoch + " was logged without its scores (a log "
                    + "written before MaskSnapshot v2); only its digest is known");
        }
        ChannelGroup group = view.groups().stream().filter(g -> g.id().equals(groupId)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("No group '" + groupId + "' in " + view.spec().getArchitecture()
                        + "; groups: " + view.groups().stream().map(ChannelGroup::id).toList()));
        if (channel < 0 || channel >= group.width()) {
            throw new IllegalArgumentException("Group " + groupId + " has channels 0.." + (group.width() - 1) + ", not "
                    + channel);
        }
        GroupScores scores = SelectionRecords.scores(in);
        double[] s = scores.of(groupId);
        int rank = 1;
        for (int c = 0; c < s.length; c++) {
            if (s[c] > s[channel] || (s[c] == s[channel] && c > channel)) { // ties: the selector removes the lower index first
                rank++;
            }
        }
        SubnetworkSelector selector = view.selection().selector(view.graph(), view.groups(), g -> CostModel.of(g).flops());
        List<SubnetworkSelector.RankedChannel> ranking = selector.ranking(scores);
        OptionalInt position = OptionalInt.empty();
        for (int i = 0; i < ranking.size(); i++) {
            if (ranking.get(i).groupId().equals(groupId) && ranking.get(i).channel() == channel) {
                position = OptionalInt.of(i + 1);
            }
        }
        int removed = 0;
        for (GroupMask g : snapshot.getGroups()) {
            removed += g.getOriginalWidth() - g.getKept().size();
        }
        List<Integer> removedIn = new ArrayList<>();
        List<Integer> keptIn = new ArrayList<>();
        for (MaskSnapshot m : log.all(RecordType.MASK_SNAPSHOT, MaskSnapshot.class)) {
            (kept(m.getGroups(), groupId, channel) ? keptIn : removedIn).add(m.getHeader().getEpoch());
        }
        Optional<PruningEvent> pruning = log.first(RecordType.PRUNING_EVENT, PruningEvent.class);
        return new ChannelExplanation(log.runId(), epoch, groupId, channel, group.width(), s[channel], rank,
                in.getGroupScores().get(view.groups().indexOf(group)).getProtectedCount(), position, ranking.size(), removed,
                Optional.ofNullable(in.getThreshold()), !kept(snapshot.getGroups(), groupId, channel), removedIn, keptIn,
                pruning.map(p -> OptionalInt.of(p.getTStar())).orElse(OptionalInt.empty()),
                pruning.map(p -> !kept(p.getFinalMask(), groupId, channel)));
    }

    private static boolean kept(List<GroupMask> groups, String groupId, int channel) {
        return groups.stream().filter(g -> g.getGroupId().equals(groupId)).anyMatch(g -> g.getKept().contains(channel));
    }

    private static List<Integer> maskEpochs(RunLog log) {
        return log.all(RecordType.MASK_SNAPSHOT, MaskSnapshot.class).stream().map(m -> m.getHeader().getEpoch()).toList();
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Run '%s', epoch %d, channel %s:%d (group of %d channels)%n", runId, epoch,
                groupId, channel, groupWidth));
        sb.append(String.format(Locale.ROOT, "  score %.6g (as logged, float32), rank %d of %d in its group (1 = highest)%n",
                score, groupRank, groupWidth));
        sb.append(String.format(Locale.ROOT, "  per-group limit: the top %d of %d are protected; this channel %s%n",
                protectedCount, groupWidth, globalPosition.isEmpty() ? "is PROTECTED (never a removal candidate)"
                        : "is not protected"));
        if (globalPosition.isPresent()) {
            sb.append(String.format(Locale.ROOT, "  global ranking: %d of %d unprotected channels, lowest first; the mask "
                            + "removes the first %d%s%n", globalPosition.getAsInt(), unprotected, removedAtEpoch,
                    threshold.map(t -> String.format(Locale.ROOT, " (threshold: score %.6g)", t)).orElse("")));
        }
        sb.append("  at epoch ").append(epoch).append(": ").append(removedAtThisEpoch ? "selected for REMOVAL" : "KEPT")
                .append('\n');
        sb.append("  selected for removal in epochs ").append(removedIn).append(", kept in ").append(keptIn).append('\n');
        sb.append("  at t* ").append(tStar.isPresent() ? "= " + tStar.getAsInt() + ": " + (finalFate.orElseThrow()
                ? "REMOVED from the network" : "kept in the network") : ": not reached in the log").append('\n');
        return sb.toString();
    }
}
