package org.ocsp.modelops.engine;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenMP team size of the calling thread. libnd4j and oneDNN run on the one libgomp that ND4J
 * loads (the process's memory map shows a single copy), and libgomp keeps the team size per thread:
 * each thread that starts a parallel region gets its own team. Flink runs one trainer per slot,
 * each on its own task thread, so k slots with the default team (every core) would run k times as
 * many busy threads as cores, and OpenMP's spinning barriers make every slot slower than running
 * them one after another. A trainer therefore limits its own thread to {@link #budget} at start.
 *
 * <pre>{@code
 * OpenMpThreads.limitCallingThread(OpenMpThreads.budget(Runtime.getRuntime().availableProcessors(), slots));
 * }</pre>
 */
public final class OpenMpThreads {
    private static final Logger LOG = LoggerFactory.getLogger(OpenMpThreads.class);

    private OpenMpThreads() {
    }

    /** Threads per trainer when {@code slots} trainers share {@code cpus} cores: at least one. */
    public static int budget(int cpus, int slots) {
        return Math.max(1, cpus / Math.max(1, slots));
    }

    /**
     * Sets the calling thread's OpenMP team to {@code threads} ({@code omp_set_num_threads} on every
     * loaded libgomp) and caps libnd4j's and OpenBLAS's own thread counts (process-wide) to the
     * same. Returns the libgomp copies it reached (empty where none is loaded or JNA is missing:
     * then only the caps apply, and a warning says so).
     */
    public static List<Path> limitCallingThread(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Invalid value " + threads + " for OpenMP threads: must be >= 1");
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        Dnnl.get(); // loads oneDNN, so its OpenMP runtime is mapped when it is a copy of its own
        List<Path> reached = new ArrayList<>();
        try {
            for (Path gomp : loadedLibgomp()) {
                NativeLibrary.getInstance(gomp.toString()).getFunction("omp_set_num_threads")
                        .invoke(new Object[] {threads});
                reached.add(gomp);
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("Could not set the OpenMP team size to {} on this thread ({}); only libnd4j's and OpenBLAS's caps "
                    + "apply", threads, e.toString());
        }
        if (reached.isEmpty()) {
            LOG.warn("No libgomp found in this process: the OpenMP team size of this thread stays at its default");
        }
        return reached;
    }

    /** {@code omp_get_max_threads()} of the calling thread (the team its next parallel region gets). */
    public static OptionalInt ofCallingThread() {
        try {
            return loadedLibgomp().stream().findFirst().map(gomp -> OptionalInt.of(NativeLibrary.getInstance(gomp.toString())
                    .getFunction("omp_get_max_threads").invokeInt(new Object[0]))).orElse(OptionalInt.empty());
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("omp_get_max_threads not reachable", e);
            return OptionalInt.empty();
        }
    }

    /**
     * The library a mapping names. When the file was replaced on disk after it was loaded (another
     * process re-extracted JavaCPP's cache) the map says "PATH (deleted)": opening PATH would load
     * a second copy, so the bare soname is returned instead, which dlopen resolves to the copy
     * already loaded.
     */
    static Path mapped(String file) {
        String deleted = " (deleted)";
        return file.endsWith(deleted) ? Path.of(file.substring(0, file.length() - deleted.length())).getFileName()
                : Path.of(file);
    }

    /** Every libgomp file mapped into this process (Linux; empty elsewhere). */
    static List<Path> loadedLibgomp() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return List.of();
        }
        try {
            // A mapping line ends with the mapped file's absolute path, if it maps a file.
            return Files.readAllLines(maps).stream()
                    .filter(line -> line.indexOf('/') >= 0)
                    .map(line -> mapped(line.substring(line.indexOf('/'))))
                    .filter(file -> file.getFileName() != null && file.getFileName().toString().startsWith("libgomp"))
                    .distinct().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
