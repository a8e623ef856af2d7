package org.ocsp.flink.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ocsp.flink.chain.EventLinker;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.cost.CostModel;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ocsp bench event-size}: what logging a decision's inputs costs. Per architecture, one
 * MaskSnapshot as the stability operator writes it, without and with the selection inputs (the
 * float32 scores, protected counts, threshold, FLOPs), its encoded size, and the median time to
 * link, encode, hash and sign it (the job's work per monitored epoch; the selection itself is
 * done either way). Scores are random: their values do not change the size of float32 arrays.
 *
 * <pre>{@code
 * java -cp "$CP" org.ocsp.flink.cli.OcspCli bench event-size --arch fashion-vgg,resnet56,resnet50
 * }</pre>
 */
@Command(name = "event-size", mixinStandardHelpOptions = true,
        description = "Bytes and time per epoch of a MaskSnapshot without and with its selection inputs.")
final class EventSizeBenchCommand implements Callable<Integer> {
    @Option(names = "--arch", split = ",", description = "Architectures (default: ${DEFAULT-VALUE}).")
    List<String> archs = List.of("fashion-vgg", "resnet56", "resnet50");

    @Option(names = "--iterations", description = "Timed repetitions per variant (default: ${DEFAULT-VALUE}).")
    int iterations = 400;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        out.println("machine: " + MachineLine.describe() + ", load " + MachineLine.load());
        Path keys = Files.createTempDirectory("ocsp-bench-key");
        SigningKey.generate(keys.resolve("private.pem"), keys.resolve("public.pem"));
        EventLinker linker = new EventLinker(EventCodec.create(), Optional.of(SigningKey.read(keys.resolve("private.pem"))));
        out.printf(Locale.ROOT, "%-12s %7s %9s %12s %12s %12s %14s %14s%n", "arch", "groups", "channels", "bytes v1",
                "bytes v2", "extra bytes", "v1 us (median)", "v2 us (median)");
        for (String arch : archs) {
            int classes = Architectures.entry(arch).defaultInput().height() >= 224 ? 1000 : 10; // ImageNet or 10-class
            NetworkGraph graph = Architectures.byName(arch, classes);
            List<ChannelGroup> groups = ChannelGroups.derive(graph);
            GroupScores scores = randomScores(groups).toFloat32();
            Selection sel = SelectionSettings.reference(0.5).selector(graph, groups, g -> CostModel.of(g).flops())
                    .select(scores, 0.5);
            MaskSnapshot withInputs = snapshot(groups, scores, sel, true);
            MaskSnapshot digestOnly = snapshot(groups, scores, sel, false);
            byte[] v1 = linker.link(digestOnly, "0".repeat(64)).bytes();
            byte[] v2 = linker.link(withInputs, "0".repeat(64)).bytes();
            double t1 = medianMicros(() -> linker.link(snapshot(groups, scores, sel, false), "0".repeat(64)));
            double t2 = medianMicros(() -> linker.link(snapshot(groups, scores, sel, true), "0".repeat(64)));
            out.printf(Locale.ROOT, "%-12s %7d %9d %12d %12d %12d %14.1f %14.1f%n", arch, groups.size(),
                    groups.stream().mapToInt(ChannelGroup::width).sum(), v1.length, v2.length, v2.length - v1.length, t1, t2);
        }
        return 0;
    }

    private static MaskSnapshot snapshot(List<ChannelGroup> groups, GroupScores scores, Selection sel, boolean inputs) {
        return MaskSnapshot.newBuilder().setHeader(RunSpecs.header("bench-run", 7, 3, 1234, "stability", "0".repeat(64)))
                .setGroups(SelectionRecords.groupMasks(groups, sel.mask())).setComparedWithEpoch(null)
                .setGroupJaccard(List.of()).setSimilarity(0).setStabilityScore(0)
                .setSaliencyDigest(SelectionRecords.DIGEST_PREFIX + scores.digest())
                .setSelection(inputs ? SelectionRecords.inputs(groups, scores, sel) : null).build();
    }

    private static GroupScores randomScores(List<ChannelGroup> groups) {
        SplittableRandom r = new SplittableRandom(7);
        Map<String, double[]> m = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            m.put(g.id(), r.doubles(g.width()).toArray());
        }
        return new GroupScores(m);
    }

    private double medianMicros(Runnable work) {
        for (int i = 0; i < iterations / 4; i++) {
            work.run(); // warm-up
        }
        double[] t = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - start) / 1e3;
        }
        Arrays.sort(t);
        return t[iterations / 2];
    }
}
