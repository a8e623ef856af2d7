package org.ocsp.flink.job.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ocsp.flink.job.RunBatch;

class WaitingBatchesTest {
    private static RunBatch batch(int floats) {
        RunBatch b = new RunBatch();
        b.features = new float[floats];
        b.labels = new int[4];
        return b;
    }

    @Test
    void keepsBatchesWithinTheBudgetAndFreesWhatIsTakenOrDropped() {
        WaitingBatches w = new WaitingBatches(3000);
        w.offer("a", 0, batch(250)); // 1000 + 16 + overhead
        w.offer("a", 1, batch(250));
        w.offer("a", 2, batch(250)); // over the budget: not kept
        assertTrue(w.peek("a", 1).isPresent());
        assertTrue(w.peek("a", 2).isEmpty(), "beyond the budget only the address is kept");
        w.put("a", 2, batch(250)); // due next: kept anyway
        assertTrue(w.bytes() > 3000);
        assertTrue(w.take("a", 0).isPresent());
        assertTrue(w.take("a", 0).isEmpty());
        w.offer("b", 0, batch(10));
        w.dropRun("a");
        assertTrue(w.peek("a", 1).isEmpty());
        assertTrue(w.peek("b", 0).isPresent());
        w.take("b", 0);
        assertEquals(0, w.bytes(), "every byte accounted for is released");
    }

    @Test
    void budgetIsAtMostAQuarterOfTheSlotsHeapShare() {
        assertEquals(256L << 20, WaitingBatches.budget(256L << 20, 6L << 30, 1));
        assertEquals(100L << 20, WaitingBatches.budget(256L << 20, 800L << 20, 2));
        assertEquals(0, WaitingBatches.budget(0, 6L << 30, 1));
    }
}
