package org.ocsp.modelops.bench;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.modelops.data.ImageDataset;
import org.ocsp.modelops.data.Normalization;
import org.ocsp.modelops.engine.Initializer;
import org.ocsp.modelops.engine.Network;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.surgery.ChannelSurgery;

/**
 * What the export checks run every architecture on: the network built for grey Fashion-MNIST
 * images (28x28 for the architectures made for them, padded to 32x32 for the others, whose
 * pools need it), with seeded weights and batch-norm statistics far from their initial values
 * (so that an export that drops or swaps them changes the logits), dense or with about half of
 * every group's channels physically removed, and model-ops' evaluation logits on real test
 * images.
 *
 * <pre>{@code
 * try (ExportSamples.Sample s = ExportSamples.build("resnet20", true, 3)) {
 *     float[] x = ExportSamples.images(8, s.graph().inputSpec());   // [8, 1, 32, 32]
 *     float[] expected = s.logits(x, 8);
 * }
 * }</pre>
 */
public final class ExportSamples {
    private static final Normalization NORM = FashionMnist.NORMALIZATION;

    private ExportSamples() {
    }

    /** A network and its parameters; closing frees them. */
    public record Sample(String architecture, boolean pruned, NetworkGraph graph, ParameterStore params)
            implements AutoCloseable {
        /** model-ops' evaluation logits, [n, classes] row-major, of {@code n} NCHW images. */
        public float[] logits(float[] images, int n) {
            try (Network net = new Network(graph, params, n)) {
                net.input(n).assign(Nd4j.createFromArray(images).reshape(net.input(n).shape()));
                return net.forward(n, false).dup('c').data().asFloat();
            }
        }

        @Override
        public void close() {
            params.close();
        }
    }

    /** The input shape the checks build {@code architecture} for. */
    public static LayerSpec.Input input(String architecture) {
        LayerSpec.Input def = Architectures.entry(architecture).defaultInput();
        return def.channels() == 1 ? def : new LayerSpec.Input(1, 32, 32);
    }

    public static Sample build(String architecture, boolean pruned, long seed) {
        NetworkGraph graph = Architectures.byName(architecture, FashionMnist.CLASSES, input(architecture));
        ParameterStore dense = ParameterStore.allocate(graph, DataType.FLOAT);
        new Initializer(seed).initialize(graph, dense);
        perturbBatchNorm(dense, seed);
        if (!pruned) {
            return new Sample(architecture, false, graph, dense);
        }
        try (dense) {
            List<ChannelGroup> groups = ChannelGroups.derive(graph);
            ChannelSurgery.PrunedModel small = ChannelSurgery.apply(graph, dense, groups, halfOfEachGroup(groups, seed));
            return new Sample(architecture, true, small.graph(), small.params());
        }
    }

    /** Keeps a seeded random subset, about half and never empty, of every group's channels. */
    public static SubnetworkMask halfOfEachGroup(List<ChannelGroup> groups, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        SubnetworkMask.Builder b = SubnetworkMask.builder();
        for (ChannelGroup g : groups) {
            int[] kept = IntStream.range(0, g.width()).filter(c -> r.nextBoolean()).toArray();
            b.put(g.id(), kept.length > 0 ? kept : new int[] {r.nextInt(g.width())});
        }
        return b.build();
    }

    /**
     * The first {@code n} Fashion-MNIST test images, normalised as the publisher does, centred in
     * the input's height and width with black (pixel 0) borders; NCHW row-major.
     */
    public static float[] images(int n, LayerSpec.Input input) throws IOException {
        ImageDataset test = FashionMnist.load().test();
        int h = input.height();
        int w = input.width();
        int top = (h - test.height()) / 2;
        int left = (w - test.width()) / 2;
        float[] x = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int sy = y - top;
                    int sx = xx - left;
                    boolean inside = sy >= 0 && sy < test.height() && sx >= 0 && sx < test.width();
                    x[(i * h + y) * w + xx] = NORM.apply(0, inside ? test.pixel(i, 0, sy, sx) : 0);
                }
            }
        }
        return x;
    }

    private static void perturbBatchNorm(ParameterStore p, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eedL);
        for (TensorRef ref : p.refs()) {
            INDArray t = p.tensor(ref.layer(), ref.kind());
            TensorKind k = ref.kind();
            if (k == TensorKind.GAMMA || k == TensorKind.RUNNING_VAR || k == TensorKind.BETA
                    || k == TensorKind.RUNNING_MEAN) {
                boolean scale = k == TensorKind.GAMMA || k == TensorKind.RUNNING_VAR;
                for (long i = 0; i < t.length(); i++) {
                    t.putScalar(i, scale ? 0.5 + r.nextDouble() : 0.2 * (r.nextDouble() - 0.5));
                }
            }
        }
    }
}
