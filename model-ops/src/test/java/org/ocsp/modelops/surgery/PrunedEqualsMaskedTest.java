package org.ocsp.modelops.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.engine.Initializer;
import org.ocsp.modelops.engine.Network;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.testing.MaskOracle;
import org.ocsp.modelops.testing.SmallGraphs;

/** The oracle for surgery: pruned network output == dense output with removed channels forced to zero. */
class PrunedEqualsMaskedTest {
    static Stream<Arguments> graphs() {
        return TestArchitectures.all().stream().map(g -> Arguments.of(g.name(), g));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void prunedNetworkMatchesMaskedDenseNetwork(String name, NetworkGraph graph) {
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        assertTrue(!groups.isEmpty(), "no prunable groups in " + name);
        SubnetworkMask mask = MaskOracle.randomMask(groups, 3);
        int batch = 2;
        try (ParameterStore dense = ParameterStore.allocate(graph, DataType.FLOAT)) {
            new Initializer(5).initialize(graph, dense);
            randomiseBatchNorm(dense);
            ChannelSurgery.PrunedModel pruned = ChannelSurgery.apply(graph, dense, groups, mask);
            try (ParameterStore small = pruned.params();
                 Network big = new Network(graph, dense, batch);
                 Network little = new Network(pruned.graph(), small, batch)) {
                fillInput(big.input(batch), 9);
                little.input(batch).assign(big.input(batch));
                big.setChannelMasks(MaskOracle.activationMasks(groups, mask, DataType.FLOAT));
                for (boolean training : new boolean[] {false, true}) {
                    INDArray expected = big.forward(batch, training).dup();
                    INDArray actual = little.forward(batch, training);
                    assertEquals(expected.length(), actual.length());
                    double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
                    double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
                    // Training mode normalises with batch statistics over as few as N*H*W = 8 values
                    // (ResNet-50's last stage at batch 2), which amplifies float32 rounding; the
                    // oneDNN engine also sums in a channel-count-dependent order (blocked layout).
                    double tolerance = training ? 1e-4 : 1e-5;
                    assertTrue(maxDiff / scale < tolerance, name + " (training=" + training + "): max difference " + maxDiff);
                }
                assertTrue(small.parameterCount() < dense.parameterCount());
            }
        }
    }

    private static void randomiseBatchNorm(ParameterStore p) {
        SplittableRandom r = new SplittableRandom(1);
        for (TensorRef ref : p.refs()) {
            if (ref.kind() == TensorKind.BETA || ref.kind() == TensorKind.RUNNING_MEAN) {
                INDArray t = p.tensor(ref.layer(), ref.kind());
                for (long i = 0; i < t.length(); i++) {
                    t.putScalar(i, r.nextDouble(-0.5, 0.5));
                }
            } else if (ref.kind() == TensorKind.RUNNING_VAR || ref.kind() == TensorKind.GAMMA) {
                INDArray t = p.tensor(ref.layer(), ref.kind());
                for (long i = 0; i < t.length(); i++) {
                    t.putScalar(i, r.nextDouble(0.5, 1.5));
                }
            }
        }
    }

    private static void fillInput(INDArray x, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, r.nextGaussian());
        }
    }
}
