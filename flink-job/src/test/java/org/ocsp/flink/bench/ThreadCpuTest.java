package org.ocsp.flink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.bench.RunMeasurement.Mode;

class ThreadCpuTest {
    @Test
    void parsesUserPlusSystemTicksAndANameWithSpacesAndParentheses() {
        String line = "4711 (trainer (1/1)#0) S 1 1 1 0 -1 4194368 100 0 0 0 250 30 0 0 20 0 40 0 900 1 2 3";
        ThreadCpu.Ticks t = ThreadCpu.parse(4711, line);
        assertEquals("trainer (1/1)#0", t.name());
        assertEquals(280, t.ticks());
    }

    @Test
    void aLineWithoutANameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parse(1, "1 S 0 0"));
    }

    @Test
    void numberedPoolThreadsFallIntoOneGroup() {
        assertEquals("rocksdb:low", ThreadCpu.group("rocksdb:low0"));
        assertEquals("trainer (1/1)", ThreadCpu.group("trainer (1/1)#0"));
        assertEquals("kafka-producer", ThreadCpu.group("kafka-producer-12"));
        assertEquals("java", ThreadCpu.group("java"));
    }

    @Test
    void theOwnProcessHasThreadsWithCpuTime() {
        Map<Integer, ThreadCpu.Ticks> s = ThreadCpu.snapshot();
        assertTrue(s.size() > 1, "threads: " + s);
    }

    @Test
    void breakdownCountsOnlyTheCpuSpentBetweenSnapshotsPerGroupAndPerThousandImages() {
        CpuBreakdown cpu = new CpuBreakdown();
        Map<Integer, ThreadCpu.Ticks> before = Map.of(1, new ThreadCpu.Ticks(1, "java", 1000),
                2, new ThreadCpu.Ticks(2, "rocksdb:low0", 0));
        Map<Integer, ThreadCpu.Ticks> after = Map.of(1, new ThreadCpu.Ticks(1, "java", 1500),
                2, new ThreadCpu.Ticks(2, "rocksdb:low0", 100), 3, new ThreadCpu.Ticks(3, "rocksdb:low1", 100));
        cpu.add(Mode.STREAMING, before, after, 2000);
        String t = cpu.table("a", 10);
        assertTrue(t.contains("| java | 1 | 0.0 | 5.0 | 0.00 | 2.50 |"), t);
        assertTrue(t.contains("| rocksdb:low | 2 | 0.0 | 2.0 | 0.00 | 1.00 |"), t);
        assertTrue(t.contains("| **all threads** |  | 0.0 | 7.0 | 0.00 | 3.50 |"), t);
    }
}
