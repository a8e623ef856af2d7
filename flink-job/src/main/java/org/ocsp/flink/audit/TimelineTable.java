package org.ocsp.flink.audit;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * Formats a {@link RunTimeline} as a plain-text table for a terminal.
 *
 * <pre>{@code
 * System.out.print(TimelineTable.format(RunTimeline.of(log)));
 * }</pre>
 */
public final class TimelineTable {
    private TimelineTable() {
    }

    public static String format(RunTimeline tl) {
        RunSpec s = tl.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Run '%s': %s, %d classes, input %s, FLOPs reduction target %.1f%%, tau %s, %s start%s%n",
                tl.runId(), s.getArchitecture(), s.getNumClasses(), s.getInputShape(), 100 * s.getFlopsReductionTarget(),
                s.getStability().getTau(), s.getStability().getRegularizationStart(),
                s.getStability().getSlStart() == null ? "" : " (slStart " + s.getStability().getSlStart() + ")"));
        sb.append(String.format(Locale.ROOT, "%5s  %-12s %8s %8s %9s %9s %9s %9s %12s  %s%n", "epoch", "phase", "s_t", "J_avg",
                "lambda", "trainLoss", "trainAcc", "testAcc", "MFLOPs", "marks"));
        for (RunTimeline.Row r : tl.rows()) {
            sb.append(String.format(Locale.ROOT, "%5d  %-12s %8s %8s %9s %9s %9s %9s %12s  %s%n", r.epoch(), r.phase(),
                    num(r.similarity(), "%.4f"), num(r.stability(), "%.4f"), num(r.lambda(), "%.4g"),
                    num(r.trainLoss(), "%.4f"), pct(r.trainAccuracy()), pct(r.testAccuracy()), mflops(r.flops()),
                    String.join(", ", r.marks())).stripTrailing()).append('\n');
        }
        sb.append("t_sl-start: ").append(tl.regularizationStart().isPresent()
                ? "epoch " + tl.regularizationStart().getAsInt() : "not reached").append('\n');
        if (tl.pruning().isEmpty()) {
            sb.append("t*: not reached (no PruningEvent)\n");
            return sb.toString();
        }
        RunTimeline.Pruning p = tl.pruning().get();
        sb.append(String.format(Locale.ROOT, "t*: epoch %d (%s, J_avg %.6f); FLOPs %s -> %s M (-%.1f%%), params %d -> %d (-%.1f%%)%n",
                p.tStar(), p.reason(), p.stabilityScore(), mflops(OptionalLong.of(p.flopsBefore())),
                mflops(OptionalLong.of(p.flopsAfter())).trim(), 100.0 * (1 - (double) p.flopsAfter() / p.flopsBefore()),
                p.paramsBefore(), p.paramsAfter(), 100.0 * (1 - (double) p.paramsAfter() / p.paramsBefore())));
        sb.append("Pruning event: channels per group\n");
        int w = Math.max(5, p.channelCounts().stream().mapToInt(c -> c.getGroupId().length()).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "  %-" + w + "s %7s %7s %7s%n", "group", "before", "after", "kept"));
        List<GroupChannelCount> counts = p.channelCounts();
        for (GroupChannelCount c : counts) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s %7d %7d %6.1f%%%n", c.getGroupId(), c.getBefore(),
                    c.getAfter(), 100.0 * c.getAfter() / c.getBefore()));
        }
        return sb.toString();
    }

    private static String num(OptionalDouble v, String fmt) {
        return v.isPresent() ? String.format(Locale.ROOT, fmt, v.getAsDouble()) : "-";
    }

    private static String pct(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.2f%%", 100 * v.getAsDouble()) : "-";
    }

    private static String mflops(OptionalLong v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.3f", v.getAsLong() / 1e6) : "-";
    }
}
