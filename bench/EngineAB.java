import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Two builds of model-ops' engine side by side in ONE JVM: each build's classes get their own class
 * loader (ND4J is shared), and their training windows alternate, so a load change on this shared
 * machine hits both alike. Used for the "before/after" rows of bench/RESULTS.md.
 *
 * <pre>
 * java -cp "$(cat model-ops/target/classpath.txt)" bench/EngineAB.java \
 *     OLD_CLASSES_DIR NEW_CLASSES_DIR [arch=fashion-vgg] [windows=7] [stepsPerWindow=5]
 * </pre>
 * A side may name its engine: {@code model-ops/target/classes@nd4j} vs {@code model-ops/target/classes@onednn}
 * compares the two engines of one build (the engine is chosen when the side's network is built).
 * Each side runs bench.BenchTrainer (the training step of TrainingSession.trainBatch on synthetic
 * batches of 128).
 */
public class EngineAB {
    public static void main(String[] args) throws Exception {
        String arch = args.length > 2 ? args[2] : "fashion-vgg";
        int windows = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int batch = 128;
        Side a = new Side(args[0], arch, batch);
        Side b = new Side(args[1], arch, batch);
        a.run(3);
        b.run(3);
        List<Double> ra = new ArrayList<>();
        List<Double> rb = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            if (w % 2 == 0) {
                ra.add(steps * batch / a.run(steps));
                rb.add(steps * batch / b.run(steps));
            } else {
                rb.add(steps * batch / b.run(steps));
                ra.add(steps * batch / a.run(steps));
            }
            System.out.printf(Locale.ROOT, "window %d: A %.1f img/s, B %.1f img/s%n", w + 1, ra.get(w), rb.get(w));
        }
        System.out.printf(Locale.ROOT, "%s, %d windows of %d steps: A median %.1f (min %.1f, max %.1f), B median %.1f (min %.1f, max %.1f), "
                        + "B/A %.2fx (median of per-window ratios %.2fx)%n", arch, windows, steps, median(ra), Collections.min(ra),
                Collections.max(ra), median(rb), Collections.min(rb), Collections.max(rb), median(rb) / median(ra), medianRatio(ra, rb));
        System.exit(0);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double medianRatio(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            r.add(b.get(i) / a.get(i));
        }
        return median(r);
    }

    static final class Side {
        private final Object trainer;
        private final Method run;

        /** {@code spec} is a classes directory, optionally with {@code @engine} (onednn or nd4j). */
        Side(String spec, String arch, int batch) throws Exception {
            int at = spec.indexOf('@');
            Path classes = Path.of(at < 0 ? spec : spec.substring(0, at));
            if (at >= 0) {
                System.setProperty("ocsp.engine", spec.substring(at + 1));
            }
            ClassLoader l = new URLClassLoader(new URL[] {classes.toUri().toURL()}, EngineAB.class.getClassLoader());
            Class<?> archs = Class.forName("org.ocsp.modelops.arch.Architectures", true, l);
            Class<?> graphType = Class.forName("org.ocsp.modelops.graph.NetworkGraph", true, l);
            Object graph = archs.getMethod("byName", String.class, int.class).invoke(null, arch, 10);
            Class<?> bt = Class.forName("org.ocsp.modelops.bench.BenchTrainer", true, l);
            Method init = bt.getDeclaredMethod("initialised", graphType, int.class, long.class, double.class);
            init.setAccessible(true);
            trainer = init.invoke(null, graph, batch, 42L, 0.05);
            System.clearProperty("ocsp.engine");
            run = bt.getDeclaredMethod("run", int.class);
            run.setAccessible(true);
        }

        /** Seconds for {@code steps} training steps. */
        double run(int steps) throws Exception {
            return (double) run.invoke(trainer, steps);
        }
    }
}
