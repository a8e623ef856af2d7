package org.ocsp.flink.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.GroupScoreList;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.SelectionInputs;

/**
 * Selects every logged mask M_t again from the scores logged with it, with the same model-ops
 * selector and the run's spec (target, per-group limit), and compares channel by channel; also the
 * scores' digest, the per-group protected counts, the threshold and the FLOPs reached. A
 * MaskSnapshot written before scores were logged (schema v1) is counted and named in a note.
 */
final class SelectionCheck {
    private SelectionCheck() {
    }

    static void run(RunLog log, RunSpecView view, Checks checks) {
        SubnetworkSelector selector = view.selection().selector(view.graph(), view.groups(), g -> CostModel.of(g).flops());
        double target = view.selection().targetReduction();
        List<Integer> withoutScores = new ArrayList<>();
        int reselected = 0;
        for (LoggedEvent e : log.ordered()) {
            if (e.type() != RecordType.MASK_SNAPSHOT) {
                continue;
            }
            MaskSnapshot m = e.as(MaskSnapshot.class);
            SelectionInputs in = m.getSelection();
            if (in == null) {
                withoutScores.add(e.epoch());
                continue;
            }
            if (!groupsFit(e, in, view, checks)
                    || !MaskCheck.check(e, "MaskSnapshot.groups", m.getGroups(), view, checks)) {
                continue;
            }
            GroupScores scores = SelectionRecords.scores(in);
            String digest = SelectionRecords.DIGEST_PREFIX + scores.digest();
            checks.check(digest.equals(String.valueOf(m.getSaliencyDigest())), () -> Mismatch.of(e,
                    "MaskSnapshot.saliencyDigest", Checks.loggedVsRecomputed(m.getSaliencyDigest(), digest
                            + " (digest of the logged scores)")));
            Selection again;
            try {
                again = selector.select(scores, target);
            } catch (IllegalArgumentException ex) {
                checks.add(Mismatch.of(e, "MaskSnapshot.selection", "cannot select from the logged scores: " + ex.getMessage()));
                continue;
            }
            reselected++;
            compareMasks(e, view.groups(), RunSpecView.mask(m.getGroups()), again.mask(), checks);
            for (int i = 0; i < view.groups().size(); i++) {
                GroupScoreList g = in.getGroupScores().get(i);
                int want = again.protectedCounts().get(i);
                checks.check(g.getProtectedCount() == want, () -> Mismatch.of(e, "MaskSnapshot.selection.groupScores["
                        + g.getGroupId() + "].protectedCount", Checks.loggedVsRecomputed(g.getProtectedCount(), want)));
            }
            Double threshold = in.getThreshold();
            checks.check(again.threshold().isPresent() ? threshold != null && Checks.same(threshold,
                    again.threshold().getAsDouble()) : threshold == null, () -> Mismatch.of(e,
                    "MaskSnapshot.selection.threshold", Checks.loggedVsRecomputed(threshold,
                            again.threshold().isPresent() ? again.threshold().getAsDouble() : null)));
            checks.check(Checks.same(in.getFlops(), again.flops()), () -> Mismatch.of(e, "MaskSnapshot.selection.flops",
                    Checks.loggedVsRecomputed(in.getFlops(), again.flops())));
            checks.check(Checks.same(in.getDenseFlops(), again.denseFlops()), () -> Mismatch.of(e,
                    "MaskSnapshot.selection.denseFlops", Checks.loggedVsRecomputed(in.getDenseFlops(), again.denseFlops())));
        }
        if (reselected > 0) {
            checks.note(reselected + " masks selected again from their logged scores");
        }
        if (!withoutScores.isEmpty()) {
            checks.note("not re-selected: the masks of epochs " + withoutScores + " (logged before scores were, with a "
                    + "digest only)");
        }
    }

    private static boolean groupsFit(LoggedEvent e, SelectionInputs in, RunSpecView view, Checks checks) {
        List<String> want = view.groups().stream().map(ChannelGroup::id).toList();
        List<String> got = in.getGroupScores().stream().map(g -> String.valueOf(g.getGroupId())).toList();
        if (!checks.check(want.equals(got), () -> Mismatch.of(e, "MaskSnapshot.selection.groupScores", "groups " + got
                + " differ from the architecture's groups " + want))) {
            return false;
        }
        boolean fits = true;
        for (int i = 0; i < want.size(); i++) {
            GroupScoreList g = in.getGroupScores().get(i);
            int width = view.groups().get(i).width();
            fits &= checks.check(g.getScores().size() == width, () -> Mismatch.of(e, "MaskSnapshot.selection.groupScores["
                    + g.getGroupId() + "].scores", g.getScores().size() + " scores for a group of " + width + " channels"));
        }
        return fits;
    }

    /** One mismatch per channel whose fate differs, naming the group and the channel; one check per group. */
    private static void compareMasks(LoggedEvent e, List<ChannelGroup> groups, SubnetworkMask logged,
                                     SubnetworkMask again, Checks checks) {
        for (ChannelGroup group : groups) {
            String g = group.id();
            List<Integer> keptAgain = java.util.Arrays.stream(again.kept(g)).boxed().toList();
            for (int c : MaskDiff.channels(group, logged, again)) {
                boolean keeps = keptAgain.contains(c);
                checks.add(Mismatch.of(e, "MaskSnapshot.groups[" + g + "].kept", String.format(Locale.ROOT,
                        "channel %s:%d is logged as %s, but selecting from the logged scores %s it", g, c,
                        keeps ? "removed" : "kept", keeps ? "keeps" : "removes")));
            }
            checks.check(true, () -> null);
        }
    }
}
