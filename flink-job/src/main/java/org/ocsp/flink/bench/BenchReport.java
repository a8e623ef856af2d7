package org.ocsp.flink.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ocsp.flink.bench.RunMeasurement.Mode;

/**
 * The bench's markdown tables, from measured numbers only (no clocks, no I/O), so the format is
 * testable.
 *
 * <pre>{@code
 * System.out.println(BenchReport.throughput(results));
 * System.out.println(BenchReport.decisionWaits(results));
 * System.out.println(BenchReport.checkpoints(results));
 * }</pre>
 */
final class BenchReport {
    /** The goal for streaming / bare training throughput. */
    static final double GOAL = 0.95;

    private BenchReport() {
    }

    static String throughput(List<ArchResult> results) {
        StringBuilder s = new StringBuilder();
        s.append("| arch | mode | runs | median img/s | min | max | end-to-end img/s (median) |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (ArchResult r : results) {
            for (Mode mode : Mode.values()) {
                List<RunMeasurement> runs = r.runs(mode);
                if (runs.isEmpty()) {
                    continue;
                }
                Summary t = Summary.of(runs.stream().map(m -> m.imagesPerSecond(r.warmupEpochs())).toList());
                Summary e = Summary.of(runs.stream().map(m -> m.endToEndImagesPerSecond(r.warmupEpochs())).toList());
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f |%n", r.arch(),
                        mode.name().toLowerCase(Locale.ROOT), t.count(), t.median(), t.min(), t.max(), e.median()));
            }
        }
        s.append('\n');
        s.append("| arch | streaming/bare (medians) | per round (paired) | median of paired | end-to-end ratio | goal |\n");
        s.append("|---|---:|---|---:|---:|---|\n");
        for (ArchResult r : results) {
            List<RunMeasurement> bare = r.runs(Mode.BARE);
            List<RunMeasurement> streaming = r.runs(Mode.STREAMING);
            if (bare.isEmpty() || streaming.isEmpty()) {
                continue;
            }
            int w = r.warmupEpochs();
            double ratio = Summary.of(streaming.stream().map(m -> m.imagesPerSecond(w)).toList()).median()
                    / Summary.of(bare.stream().map(m -> m.imagesPerSecond(w)).toList()).median();
            double e2e = Summary.of(streaming.stream().map(m -> m.endToEndImagesPerSecond(w)).toList()).median()
                    / Summary.of(bare.stream().map(m -> m.endToEndImagesPerSecond(w)).toList()).median();
            List<Double> paired = pairedRatios(bare, streaming, w);
            s.append(String.format(Locale.ROOT, "| %s | %.3f | %s | %s | %.3f | %s |%n", r.arch(), ratio,
                    paired.stream().map(p -> String.format(Locale.ROOT, "%.3f", p)).collect(Collectors.joining(" ")),
                    paired.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", Summary.of(paired).median()), e2e,
                    ratio >= GOAL ? "met (>= " + GOAL + ")" : "NOT met (< " + GOAL + ")"));
        }
        return s.toString();
    }

    /** streaming / bare of the same round (neighbours in time, so they saw similar machine load). */
    static List<Double> pairedRatios(List<RunMeasurement> bare, List<RunMeasurement> streaming, int warmupEpochs) {
        Map<Integer, RunMeasurement> byRound = new TreeMap<>();
        bare.forEach(b -> byRound.put(b.round(), b));
        List<Double> out = new ArrayList<>();
        for (RunMeasurement s : streaming) {
            RunMeasurement b = byRound.get(s.round());
            if (b != null) {
                out.add(s.imagesPerSecond(warmupEpochs) / b.imagesPerSecond(warmupEpochs));
            }
        }
        return out;
    }

    static String decisionWaits(List<ArchResult> results) {
        int rounds = results.stream().mapToInt(r -> r.runs(Mode.STREAMING).size()).max().orElse(0);
        StringBuilder s = new StringBuilder("| arch | boundary |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int i = 0; i < rounds; i++) {
            s.append(" run ").append(i + 1).append(" ms |");
            rule.append("---:|");
        }
        s.append(" median ms | max ms |\n").append(rule).append("---:|---:|\n");
        for (ArchResult r : results) {
            List<RunMeasurement> runs = r.runs(Mode.STREAMING);
            TreeMap<Integer, List<OptionalLong>> byEpoch = new TreeMap<>();
            for (int i = 0; i < runs.size(); i++) {
                for (EpochSample e : runs.get(i).epochs()) {
                    if (e.epoch() > 0) {
                        List<OptionalLong> row = byEpoch.computeIfAbsent(e.epoch(), k -> new ArrayList<>());
                        while (row.size() < i) {
                            row.add(OptionalLong.empty());
                        }
                        row.add(e.decisionWaitMillis());
                    }
                }
            }
            List<Double> all = new ArrayList<>();
            for (Map.Entry<Integer, List<OptionalLong>> e : byEpoch.entrySet()) {
                s.append("| ").append(r.arch()).append(" | ").append(e.getKey() - 1).append(" -> ").append(e.getKey())
                        .append(" |");
                List<Double> present = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    OptionalLong v = i < e.getValue().size() ? e.getValue().get(i) : OptionalLong.empty();
                    s.append(' ').append(v.isPresent() ? Long.toString(v.getAsLong()) : "-").append(" |");
                    v.ifPresent(x -> present.add((double) x));
                }
                all.addAll(present);
                if (present.isEmpty()) {
                    s.append(" - | - |\n");
                } else {
                    Summary sum = Summary.of(present);
                    s.append(String.format(Locale.ROOT, " %.0f | %.0f |%n", sum.median(), sum.max()));
                }
            }
            if (!all.isEmpty()) {
                Summary sum = Summary.of(all);
                s.append("| ").append(r.arch()).append(" | all |").append(" |".repeat(rounds))
                        .append(String.format(Locale.ROOT, " %.0f | %.0f |%n", sum.median(), sum.max()));
            }
        }
        return s.toString();
    }

    static String checkpoints(List<ArchResult> results) {
        StringBuilder s = new StringBuilder();
        s.append("| arch | checkpoints | duration ms median (max) | full size median (max) | incremental median (max) "
                + "| trainer full median (max) | trainer incremental median (max) |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (ArchResult r : results) {
            List<CheckpointSample> c = r.checkpoints();
            if (c.isEmpty()) {
                s.append("| ").append(r.arch()).append(" | 0 | - | - | - | - | - |\n");
                continue;
            }
            s.append("| ").append(r.arch()).append(" | ").append(c.size()).append(" | ")
                    .append(pair(Summary.of(c.stream().map(x -> (double) x.durationMillis()).toList()), false)).append(" | ")
                    .append(pair(Summary.of(c.stream().map(x -> (double) x.fullBytes()).toList()), true)).append(" | ")
                    .append(pair(Summary.of(c.stream().map(x -> (double) x.incrementalBytes()).toList()), true)).append(" | ")
                    .append(pair(Summary.of(c.stream().map(x -> (double) x.trainerFullBytes()).toList()), true)).append(" | ")
                    .append(pair(Summary.of(c.stream().map(x -> (double) x.trainerIncrementalBytes()).toList()), true))
                    .append(" |\n");
        }
        return s.toString();
    }

    private static String pair(Summary s, boolean bytes) {
        return bytes ? bytes(s.median()) + " (" + bytes(s.max()) + ")"
                : String.format(Locale.ROOT, "%.0f (%.0f)", s.median(), s.max());
    }

    /** Binary units: B, KiB, MiB, GiB. */
    static String bytes(double b) {
        if (b < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
        }
        if (b < 1024.0 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f MiB", b / (1024 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    }
}
