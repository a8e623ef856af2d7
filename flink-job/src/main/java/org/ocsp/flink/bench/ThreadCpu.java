package org.ocsp.flink.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of every thread of this process, native ones included (OpenMP workers, RocksDB's
 * background threads), from {@code /proc/self/task/<tid>/stat}. A new Linux thread inherits its
 * creator's name, so OpenMP workers carry the name of the thread that first ran a parallel region.
 *
 * <pre>{@code
 * Map<Integer, ThreadCpu.Ticks> before = ThreadCpu.snapshot();
 * }</pre>
 */
final class ThreadCpu {
    /** USER_HZ: /proc reports CPU time in 1/100 s on Linux regardless of the kernel's HZ. */
    static final double TICKS_PER_SECOND = 100;

    record Ticks(int tid, String name, long ticks) {
    }

    private ThreadCpu() {
    }

    static Map<Integer, Ticks> snapshot() {
        Map<Integer, Ticks> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    Ticks k = parse(Integer.parseInt(t.getFileName().toString()), Files.readString(t.resolve("stat")));
                    out.put(k.tid(), k);
                } catch (NoSuchFileException e) {
                    // the thread ended while we listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read /proc/self/task (Linux only): " + e.getMessage(), e);
        }
        return out;
    }

    /** One stat line: "tid (name) state ppid ... utime stime ..."; the name may hold spaces and parentheses. */
    static Ticks parse(int tid, String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("Not a /proc stat line: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        // After the name: field 3 (state) is f[0], so utime (field 14) is f[11] and stime (15) f[12].
        return new Ticks(tid, stat.substring(open + 1, close), Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }

    /** Thread pools number their threads: "rocksdb:low0", "trainer (1/1)#0" -> "rocksdb:low", "trainer (1/1)". */
    static String group(String name) {
        return name.replaceAll("[#\\-_:]?\\d+$", "").trim();
    }
}
