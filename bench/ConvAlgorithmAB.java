import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.bench.WindowStats;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.saliency.L2GroupSaliency;
import org.ocsp.modelops.selection.PruningLimit;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.selection.SubnetworkSelector;
import org.ocsp.modelops.surgery.ChannelSurgery;

/**
 * Conv algorithm choices side by side in ONE JVM, on the dense network and on its pruned version
 * (the bench's 50 % FLOPs cut, L2 group saliency, after 10 warm-up steps), so the dense and pruned
 * speed and the pruned speed-up of each choice are measured under the same load. Windows
 * alternate over all trainers, in reversed order every other window. For bench/RESULTS.md row 7.
 *
 * <pre>
 * OMP_WAIT_POLICY=passive OMP_NUM_THREADS=2 java -cp "model-ops/target/classes:$(cat model-ops/target/classpath.txt)" \
 *     bench/ConvAlgorithmAB.java [arch=fashion-vgg] [windows=7] [stepsPerWindow=5] [algorithms=onednn,auto]
 * </pre>
 */
public class ConvAlgorithmAB {
    public static void main(String[] args) throws Exception {
        String arch = args.length > 0 ? args[0] : "fashion-vgg";
        int windows = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String[] algorithms = (args.length > 3 ? args[3] : "onednn,auto").split(",");
        int batch = 128;
        NetworkGraph graph = Architectures.byName(arch, 10);
        Map<String, Trainer> trainers = new LinkedHashMap<>();
        Trainer first = null;
        ChannelSurgery.PrunedModel[] pruned = new ChannelSurgery.PrunedModel[algorithms.length];
        for (int i = 0; i < algorithms.length; i++) {
            System.setProperty("ocsp.conv.algorithm", algorithms[i]);
            Trainer dense = Trainer.initialised(graph, batch);
            if (first == null) {
                first = dense;
                first.run(10);
            }
            pruned[i] = prune(graph, first.params());
            trainers.put(algorithms[i] + " dense", dense);
            trainers.put(algorithms[i] + " pruned", Trainer.of(pruned[i].graph(), pruned[i].params(), batch));
        }
        System.clearProperty("ocsp.conv.algorithm");
        double flopsRatio = (double) CostModel.of(graph).flops() / CostModel.of(pruned[0].graph()).flops();
        System.out.printf(Locale.ROOT, "%s: FLOPs dense/pruned %.2fx; %d windows of %d dense steps (pruned: %d)%n", arch, flopsRatio,
                windows, steps, Math.round(steps * flopsRatio));
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        trainers.forEach((name, t) -> {
            t.run(3);
            rates.put(name, new ArrayList<>());
        });
        List<String> names = new ArrayList<>(trainers.keySet());
        for (int w = 0; w < windows; w++) {
            List<String> order = new ArrayList<>(names);
            if (w % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            StringBuilder line = new StringBuilder("window " + (w + 1) + ":");
            for (String name : order) {
                int n = name.endsWith("pruned") ? (int) Math.round(steps * flopsRatio) : steps;
                double r = n * batch / trainers.get(name).run(n);
                rates.get(name).add(r);
                line.append(String.format(Locale.ROOT, " %s %.1f;", name, r));
            }
            System.out.println(line);
        }
        System.out.println("| algorithm | dense img/s (min-max) | pruned img/s (min-max) | pruned speed-up |");
        System.out.println("|---|---:|---:|---:|");
        for (String a : algorithms) {
            WindowStats d = new WindowStats(rates.get(a + " dense"));
            WindowStats p = new WindowStats(rates.get(a + " pruned"));
            System.out.printf(Locale.ROOT, "| %s | %.1f (%.0f-%.0f) | %.1f (%.0f-%.0f) | %.2fx |%n", a, d.median(), d.min(), d.max(),
                    p.median(), p.min(), p.max(), p.median() / d.median());
        }
        String base = algorithms[0];
        for (int i = 1; i < algorithms.length; i++) {
            String a = algorithms[i];
            System.out.printf(Locale.ROOT, "%s / %s: dense %.2fx (median of per-window ratios %.2fx), pruned %.2fx (%.2fx)%n", a, base,
                    median(rates.get(a + " dense")) / median(rates.get(base + " dense")),
                    medianRatio(rates.get(base + " dense"), rates.get(a + " dense")),
                    median(rates.get(a + " pruned")) / median(rates.get(base + " pruned")),
                    medianRatio(rates.get(base + " pruned"), rates.get(a + " pruned")));
        }
        System.exit(0);
    }

    static ChannelSurgery.PrunedModel prune(NetworkGraph graph, ParameterStore params) {
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        SubnetworkSelector selector = new SubnetworkSelector(graph, groups, g -> CostModel.of(g).flops(), PruningLimit.reference());
        Selection s = selector.select(new L2GroupSaliency().scores(groups, params), 0.5);
        return ChannelSurgery.apply(graph, params, groups, s.mask());
    }

    static double median(List<Double> v) {
        return new WindowStats(v).median();
    }

    static double medianRatio(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            r.add(b.get(i) / a.get(i));
        }
        return median(r);
    }

    /** bench.BenchTrainer (package-private) through reflection: the training step on synthetic batches. */
    static final class Trainer {
        private static final Method INITIALISED;
        private static final Method OF;
        private static final Method PARAMS;
        private static final Method RUN;

        static {
            try {
                Class<?> type = Class.forName("org.ocsp.modelops.bench.BenchTrainer");
                INITIALISED = type.getDeclaredMethod("initialised", NetworkGraph.class, int.class, long.class, double.class);
                OF = type.getDeclaredMethod("of", NetworkGraph.class, ParameterStore.class, int.class, long.class, double.class);
                PARAMS = type.getDeclaredMethod("params");
                RUN = type.getDeclaredMethod("run", int.class);
                for (Method m : new Method[] {INITIALISED, OF, PARAMS, RUN}) {
                    m.setAccessible(true);
                }
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Object trainer;

        private Trainer(Object trainer) {
            this.trainer = trainer;
        }

        static Trainer initialised(NetworkGraph graph, int batch) throws Exception {
            return new Trainer(INITIALISED.invoke(null, graph, batch, 42L, 0.05));
        }

        static Trainer of(NetworkGraph graph, ParameterStore params, int batch) throws Exception {
            return new Trainer(OF.invoke(null, graph, params, batch, 42L, 0.05));
        }

        ParameterStore params() {
            return (ParameterStore) invoke(PARAMS);
        }

        /** Seconds for {@code steps} training steps. */
        double run(int steps) {
            return (double) invoke(RUN, steps);
        }

        private Object invoke(Method m, Object... args) {
            try {
                return m.invoke(trainer, args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
