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

    /** A cache file replaced on disk after loading ("(deleted)" in the map) is reached by its soname. */
    @Test
    void aLibraryReplacedOnDiskIsReachedThroughTheCopyAlreadyLoaded() {
        assertEquals(Path.of("/c/x/libgomp.so.1"), OpenMpThreads.mapped("/c/x/libgomp.so.1"));
        assertEquals(Path.of("libgomp.so.1"), OpenMpThreads.mapped("/c/x/libgomp.so.1 (deleted)"));
        Nd4j.create(1);
        assumeTrue(!OpenMpThreads.loadedLibgomp().isEmpty(), "no libgomp mapped (not Linux?)");
        Path loaded = OpenMpThreads.loadedLibgomp().get(0);
        com.sun.jna.Function byPath = com.sun.jna.NativeLibrary.getInstance(loaded.toString())
                .getFunction("omp_get_max_threads");
        com.sun.jna.Function bySoname = com.sun.jna.NativeLibrary.getInstance(loaded.getFileName().toString())
                .getFunction("omp_get_max_threads");
        assertEquals(byPath, bySoname, "the soname resolves to the library already loaded, not a second copy");
    }
}
