package org.ocsp.modelops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class OpenMpThreadsTest {
    @Test
    void budgetSplitsTheCoresBetweenSlots() {
        assertEquals(4, OpenMpThreads.budget(8, 2));
        assertEquals(2, OpenMpThreads.budget(2, 1));
        assertEquals(1, OpenMpThreads.budget(2, 4));
        assertEquals(3, OpenMpThreads.budget(7, 2));
        assertThrows(IllegalArgumentException.class, () -> OpenMpThreads.limitCallingThread(0));
    }

    /** Per thread: a trainer's limit is its own, another slot's thread keeps its team. */
    @Test
    void limitsOnlyTheCallingThreadsTeam() throws Exception {
        Nd4j.create(1); // ND4J loads libgomp
        assumeTrue(!OpenMpThreads.loadedLibgomp().isEmpty(), "no libgomp mapped (not Linux?)");
        int before = OpenMpThreads.ofCallingThread().orElseThrow();
        AtomicReference<List<Path>> reached = new AtomicReference<>();
        AtomicReference<OptionalInt> inside = new AtomicReference<>();
        Thread trainer = new Thread(() -> {
            reached.set(OpenMpThreads.limitCallingThread(1));
            inside.set(OpenMpThreads.ofCallingThread());
        });
        trainer.start();
        trainer.join();
        assertFalse(reached.get().isEmpty(), "omp_set_num_threads reached a libgomp");
        assertEquals(OptionalInt.of(1), inside.get());
        assertEquals(before, OpenMpThreads.ofCallingThread().orElseThrow(), "other threads keep their team size");
        Nd4j.getEnvironment().setMaxThreads(before);
        Nd4j.getEnvironment().setMaxMasterThreads(before);
        Nd4j.factory().blas().setMaxThreads(before);
    }
}
