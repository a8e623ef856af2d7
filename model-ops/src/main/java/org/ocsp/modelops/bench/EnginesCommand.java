package org.ocsp.modelops.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ocsp.modelops.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code model-ops bench engines A B}: two builds of model-ops' engine side by side in one JVM.
 * Each side's model-ops classes come from its own classes directory through its own class loader
 * (ND4J and everything else is shared), and their training windows alternate, so a load change on
 * a shared machine hits both alike; the "before/after" rows of bench/RESULTS.md come from it. A
 * side may name its engine, {@code model-ops/target/classes@nd4j} against
 * {@code model-ops/target/classes@onednn}, to compare the two engines of one build. Each side runs
 * its own build's {@code BenchTrainer}, reached by reflection because it is another build's class.
 */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "Two builds (classes directories) of the engine side by side in one JVM (alternating windows).")
public final class EnginesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "Classes directory of side A, optionally @onednn or @nd4j.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "Classes directory of side B, optionally @onednn or @nd4j.")
    String b;

    @Option(names = "--arch", description = "Architecture (default: ${DEFAULT-VALUE}).")
    String arch = "fashion-vgg";

    @Option(names = "--windows", description = "Timing windows per side (default: ${DEFAULT-VALUE}).")
    int windows = 7;

    @Option(names = "--steps", description = "Training steps per window (default: ${DEFAULT-VALUE}).")
    int steps = 5;

    private static final int BATCH = 128;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        for (String side : List.of(a, b)) {
            if (!Files.isDirectory(classesOf(side).resolve("org/ocsp/modelops"))) {
                throw new ParameterException(spec.commandLine(), "Not a model-ops classes directory: " + classesOf(side)
                        + " (from '" + side + "'; build one with mvn -pl model-ops compile)");
            }
        }
        out.println("machine: " + MachineInfo.line());
        Side sa = new Side(a, arch);
        Side sb = new Side(b, arch);
        sa.run(3);
        sb.run(3);
        List<Double> ra = new ArrayList<>();
        List<Double> rb = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            // Who goes first alternates: the second side of a window may find the caches warm.
            if (w % 2 == 0) {
                ra.add(steps * BATCH / sa.run(steps));
                rb.add(steps * BATCH / sb.run(steps));
            } else {
                rb.add(steps * BATCH / sb.run(steps));
                ra.add(steps * BATCH / sa.run(steps));
            }
            out.printf(Locale.ROOT, "window %d: A %.1f img/s, B %.1f img/s%n", w + 1, ra.get(w), rb.get(w));
        }
        WindowStats wa = new WindowStats(ra);
        WindowStats wb = new WindowStats(rb);
        out.printf(Locale.ROOT, "%s, %d windows of %d steps: A median %.1f (min %.1f, max %.1f), B median %.1f (min %.1f, max %.1f), "
                        + "B/A %.2fx (median of per-window ratios %.2fx)%n", arch, windows, steps, wa.median(), wa.min(), wa.max(),
                wb.median(), wb.min(), wb.max(), wb.median() / wa.median(), wb.medianRatioTo(wa));
        return 0;
    }

    private static Path classesOf(String side) {
        int at = side.indexOf('@');
        return Path.of(at < 0 ? side : side.substring(0, at));
    }

    /** One build's trainer. */
    private static final class Side {
        private final Object trainer;
        private final Method run;

        Side(String spec, String arch) throws Exception {
            int at = spec.indexOf('@');
            Path classes = classesOf(spec);
            if (at >= 0) {
                System.setProperty(Engine.PROPERTY, spec.substring(at + 1));
            }
            try {
                ClassLoader l = new BuildClassLoader(classes, EnginesCommand.class.getClassLoader());
                Class<?> archs = Class.forName("org.ocsp.modelops.arch.Architectures", true, l);
                Class<?> graphType = Class.forName("org.ocsp.modelops.graph.NetworkGraph", true, l);
                Object graph = archs.getMethod("byName", String.class, int.class).invoke(null, arch, 10);
                Class<?> bt = Class.forName(BenchTrainer.class.getName(), true, l);
                Method init = bt.getDeclaredMethod("initialised", graphType, int.class, long.class, double.class);
                init.setAccessible(true);
                trainer = init.invoke(null, graph, BATCH, 42L, BenchCommand.BENCH_LR);
                run = bt.getDeclaredMethod("run", int.class);
                run.setAccessible(true);
            } finally {
                System.clearProperty(Engine.PROPERTY);
            }
        }

        /** Seconds for {@code steps} training steps. */
        double run(int steps) throws Exception {
            return (double) run.invoke(trainer, steps);
        }
    }

    /** Loads model-ops' own classes from one build's directory first, everything else from the parent. */
    static final class BuildClassLoader extends URLClassLoader {
        private static final String OWN = "org.ocsp.modelops.";

        BuildClassLoader(Path classes, ClassLoader parent) throws IOException {
            super(new URL[] {classes.toUri().toURL()}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(OWN)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
