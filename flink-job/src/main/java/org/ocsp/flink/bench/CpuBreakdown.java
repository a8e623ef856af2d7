package org.ocsp.flink.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ocsp.flink.bench.RunMeasurement.Mode;

/**
 * CPU seconds per thread group, summed over the bare and over the streaming runs of one
 * architecture, and per 1000 TRAIN images: where a streaming run spends CPU that the bare loop
 * does not (decoding, serialisation, RocksDB, Kafka) and how much of it competes with training.
 *
 * <pre>{@code
 * CpuBreakdown cpu = new CpuBreakdown();
 * Map<Integer, ThreadCpu.Ticks> before = ThreadCpu.snapshot();
 * ... a run ...
 * cpu.add(Mode.BARE, before, ThreadCpu.snapshot(), trainImages);
 * }</pre>
 */
final class CpuBreakdown {
    private final Map<Mode, Map<String, Double>> seconds = new EnumMap<>(Mode.class);
    private final Map<Mode, Long> images = new EnumMap<>(Mode.class);
    /** Distinct threads that used CPU, per group (OpenMP workers show up under their creator's name). */
    private final Map<String, java.util.Set<Integer>> threads = new TreeMap<>();

    void add(Mode mode, Map<Integer, ThreadCpu.Ticks> before, Map<Integer, ThreadCpu.Ticks> after, long trainImages) {
        Map<String, Double> m = seconds.computeIfAbsent(mode, k -> new TreeMap<>());
        for (ThreadCpu.Ticks a : after.values()) {
            ThreadCpu.Ticks b = before.get(a.tid());
            long ticks = a.ticks() - (b == null ? 0 : b.ticks());
            if (ticks > 0) {
                m.merge(ThreadCpu.group(a.name()), ticks / ThreadCpu.TICKS_PER_SECOND, Double::sum);
                threads.computeIfAbsent(ThreadCpu.group(a.name()), k -> new java.util.TreeSet<>()).add(a.tid());
            }
        }
        images.merge(mode, trainImages, Long::sum);
    }

    /** Markdown: the {@code top} groups by CPU over both modes, then the totals. */
    String table(String arch, int top) {
        Map<String, Double> all = new TreeMap<>();
        seconds.values().forEach(m -> m.forEach((k, v) -> all.merge(k, v, Double::sum)));
        List<String> groups = new ArrayList<>(all.keySet());
        groups.sort((x, y) -> Double.compare(all.get(y), all.get(x)));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "CPU by thread group, %s (bare runs: %d TRAIN images, streaming runs: %d):%n%n",
                arch, images.getOrDefault(Mode.BARE, 0L), images.getOrDefault(Mode.STREAMING, 0L)));
        s.append("| thread group | threads | bare CPU s | streaming CPU s | bare s / 1000 img | streaming s / 1000 img |\n");
        s.append("|---|---:|---:|---:|---:|---:|\n");
        for (String g : groups.subList(0, Math.min(top, groups.size()))) {
            s.append(row(g, seconds(Mode.BARE, g), seconds(Mode.STREAMING, g)));
        }
        double bare = seconds.getOrDefault(Mode.BARE, Map.of()).values().stream().mapToDouble(Double::doubleValue).sum();
        double streaming = seconds.getOrDefault(Mode.STREAMING, Map.of()).values().stream()
                .mapToDouble(Double::doubleValue).sum();
        s.append(row("**all threads**", bare, streaming));
        return s.toString();
    }

    private double seconds(Mode mode, String group) {
        return seconds.getOrDefault(mode, Map.of()).getOrDefault(group, 0.0);
    }

    private String row(String group, double bare, double streaming) {
        int n = threads.getOrDefault(group, java.util.Set.of()).size();
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f | %.2f |%n", group, n == 0 ? "" : n, bare, streaming,
                perThousand(bare, Mode.BARE), perThousand(streaming, Mode.STREAMING));
    }

    private double perThousand(double cpuSeconds, Mode mode) {
        long n = images.getOrDefault(mode, 0L);
        return n == 0 ? 0 : cpuSeconds * 1000 / n;
    }
}
