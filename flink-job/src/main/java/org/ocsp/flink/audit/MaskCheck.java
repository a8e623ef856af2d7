package org.ocsp.flink.audit;

import java.util.List;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.schemas.avro.event.GroupMask;

/**
 * Whether a logged mask can be a sub-network of the run's architecture: the architecture's groups
 * in graph order, their original widths, kept indices strictly ascending inside the group, a kept
 * width that is the full width or a multiple of the run's channel multiple, and at least the
 * channels the per-group limit protects (OCSPruner section 3).
 */
final class MaskCheck {
    private MaskCheck() {
    }

    /** @return whether the mask's group structure fits (ids and widths), so it can be fed to model-ops */
    static boolean check(LoggedEvent e, String field, List<GroupMask> mask, RunSpecView view, Checks checks) {
        List<String> want = view.groups().stream().map(ChannelGroup::id).toList();
        List<String> got = mask.stream().map(g -> String.valueOf(g.getGroupId())).toList();
        if (!checks.check(want.equals(got), () -> Mismatch.of(e, field, "groups " + got
                + " differ from the architecture's groups " + want + " (same ids in graph order expected)"))) {
            return false;
        }
        PruningLimit limit = view.pruningLimit();
        boolean fits = true;
        for (int i = 0; i < mask.size(); i++) {
            GroupMask g = mask.get(i);
            ChannelGroup group = view.groups().get(i);
            String where = field + "[" + group.id() + "]";
            fits &= checks.check(g.getOriginalWidth() == group.width(), () -> Mismatch.of(e, where + ".originalWidth",
                    Checks.loggedVsRecomputed(g.getOriginalWidth(), group.width() + " (architecture " + view.spec().getArchitecture() + ")")));
            List<Integer> kept = g.getKept();
            int bad = -1;
            for (int k = 0; k < kept.size() && bad < 0; k++) {
                int c = kept.get(k);
                if (c < 0 || c >= group.width() || (k > 0 && c <= kept.get(k - 1))) {
                    bad = k;
                }
            }
            int at = bad;
            fits &= checks.check(at < 0, () -> Mismatch.of(e, where + ".kept", "index " + kept.get(at) + " at position " + at
                    + " is not strictly ascending inside [0, " + group.width() + ")"));
            int multiple = view.selection().channelMultiple();
            checks.check(kept.size() == group.width() || kept.size() % multiple == 0, () -> Mismatch.of(e, where + ".kept",
                    "keeps " + kept.size() + " of " + group.width() + " channels, neither the full width nor a multiple of "
                            + "the run's channelMultiple " + multiple));
            int minKept = group.width() - limit.maxPrunable(group.width());
            checks.check(kept.size() >= minKept, () -> Mismatch.of(e, where + ".kept", "keeps " + kept.size() + " of "
                    + group.width() + " channels, fewer than the " + minKept + " the per-group limit protects (maxPruneFraction "
                    + limit.maxFraction() + ", pruneLimitRate " + limit.k() + ")"));
        }
        return fits;
    }
}
