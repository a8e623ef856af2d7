package org.ocsp.flink.audit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.modelops.cost.Cost;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.RunEnd;
import org.ocsp.schemas.avro.event.PruningEvent;

/**
 * FLOPs, parameters and channel counts recomputed with model-ops' {@code GraphResizer} and
 * {@code CostModel} on the architecture of RunStarted: the PruningEvent's before/after values and
 * channel counts, every EpochCompleted (dense up to and including t*, pruned after it: the network
 * trained in that epoch) and the ModelPublished final metrics.
 */
final class CostCheck {
    private CostCheck() {
    }

    static void run(RunLog log, RunSpecView view, Checks checks) {
        Cost dense = view.denseCost();
        Optional<LoggedEvent> pruning = log.ordered().stream().filter(e -> e.type() == RecordType.PRUNING_EVENT).findFirst();
        Optional<Cost> pruned = Optional.empty();
        int tStar = Integer.MAX_VALUE;
        if (pruning.isPresent()) {
            LoggedEvent e = pruning.get();
            PruningEvent p = e.as(PruningEvent.class);
            tStar = p.getTStar();
            List<String> ids = view.groups().stream().map(ChannelGroup::id).toList();
            List<String> maskIds = p.getFinalMask().stream().map(g -> String.valueOf(g.getGroupId())).toList();
            if (ids.equals(maskIds)) {
                Map<String, Integer> widths = RunSpecView.widths(RunSpecView.mask(p.getFinalMask()));
                try {
                    pruned = Optional.of(view.cost(widths));
                } catch (IllegalArgumentException ex) {
                    checks.add(Mismatch.of(e, "PruningEvent.finalMask", "cannot resize the architecture: " + ex.getMessage()));
                }
                channelCounts(e, p, view, widths, checks);
            }
            compare(checks, e, "PruningEvent.flopsBefore", p.getFlopsBefore(), dense.flops());
            compare(checks, e, "PruningEvent.paramsBefore", p.getParamsBefore(), dense.params());
            if (pruned.isPresent()) {
                compare(checks, e, "PruningEvent.flopsAfter", p.getFlopsAfter(), pruned.get().flops());
                compare(checks, e, "PruningEvent.paramsAfter", p.getParamsAfter(), pruned.get().params());
            }
        }
        EpochCompleted last = null;
        int completed = 0;
        for (LoggedEvent e : log.ordered()) {
            if (e.type() != RecordType.EPOCH_COMPLETED) {
                continue;
            }
            EpochCompleted c = e.as(EpochCompleted.class);
            Optional<Cost> expected = e.epoch() > tStar ? pruned : Optional.of(dense);
            String which = e.epoch() > tStar ? " (pruned network, after t* = " + tStar + ")" : " (dense network)";
            if (expected.isPresent()) {
                compare(checks, e, "EpochCompleted.flops", c.getFlops(), expected.get().flops(), which);
                compare(checks, e, "EpochCompleted.params", c.getParams(), expected.get().params(), which);
            }
            last = c;
            completed++;
        }
        Optional<LoggedEvent> published = log.ordered().stream().filter(e -> e.type() == RecordType.MODEL_PUBLISHED).findFirst();
        if (published.isPresent()) {
            LoggedEvent e = published.get();
            ModelPublished m = e.as(ModelPublished.class);
            boolean stopped = m.getEndedBy() == RunEnd.STOPPED;
            // Stopped in its t* epoch, the run had not reached the surgery at that epoch's end yet.
            Optional<Cost> expected = pruning.isPresent() && (!stopped || e.epoch() > tStar) ? pruned : Optional.of(dense);
            if (expected.isPresent()) {
                compare(checks, e, "ModelPublished.finalMetrics.flops", m.getFinalMetrics().getFlops(), expected.get().flops());
                compare(checks, e, "ModelPublished.finalMetrics.params", m.getFinalMetrics().getParams(), expected.get().params());
            }
            compare(checks, e, "ModelPublished.finalMetrics.epochsTrained", m.getFinalMetrics().getEpochsTrained(), completed);
            if (last != null && !stopped) { // a stopped run's metrics are those of its unfinished epoch
                EpochCompleted l = last;
                checks.check(Checks.same(m.getFinalMetrics().getTrainLoss(), l.getTrainLoss()), () -> Mismatch.of(e,
                        "ModelPublished.finalMetrics.trainLoss", "logged " + m.getFinalMetrics().getTrainLoss()
                                + ", the last EpochCompleted has " + l.getTrainLoss()));
                checks.check(Checks.same(m.getFinalMetrics().getTrainAccuracy(), l.getTrainAccuracy()), () -> Mismatch.of(e,
                        "ModelPublished.finalMetrics.trainAccuracy", "logged " + m.getFinalMetrics().getTrainAccuracy()
                                + ", the last EpochCompleted has " + l.getTrainAccuracy()));
                checks.check(java.util.Objects.equals(m.getFinalMetrics().getTestAccuracy(), l.getTestAccuracy()),
                        () -> Mismatch.of(e, "ModelPublished.finalMetrics.testAccuracy", "logged "
                                + m.getFinalMetrics().getTestAccuracy() + ", the last EpochCompleted has " + l.getTestAccuracy()));
            }
        }
    }

    private static void channelCounts(LoggedEvent e, PruningEvent p, RunSpecView view, Map<String, Integer> widths,
                                      Checks checks) {
        List<GroupChannelCount> counts = p.getChannelCounts();
        List<String> ids = view.groups().stream().map(ChannelGroup::id).toList();
        List<String> countIds = counts.stream().map(c -> String.valueOf(c.getGroupId())).toList();
        if (!checks.check(ids.equals(countIds), () -> Mismatch.of(e, "PruningEvent.channelCounts",
                "groups " + countIds + " differ from the architecture's groups " + ids))) {
            return;
        }
        for (int i = 0; i < counts.size(); i++) {
            GroupChannelCount c = counts.get(i);
            ChannelGroup g = view.groups().get(i);
            compare(checks, e, "PruningEvent.channelCounts[" + g.id() + "].before", c.getBefore(), g.width());
            compare(checks, e, "PruningEvent.channelCounts[" + g.id() + "].after", c.getAfter(), widths.get(g.id()),
                    " (kept channels of finalMask)");
        }
    }

    private static void compare(Checks checks, LoggedEvent e, String field, long logged, long recomputed) {
        compare(checks, e, field, logged, recomputed, "");
    }

    private static void compare(Checks checks, LoggedEvent e, String field, long logged, long recomputed, String why) {
        checks.check(logged == recomputed, () -> Mismatch.of(e, field, Checks.loggedVsRecomputed(logged, recomputed) + why));
    }
}
