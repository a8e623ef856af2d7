package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.testing.SeededGaussian;
import org.ocsp.modelops.testing.SmallGraphs;

/**
 * The float32 one-pass update equals the float64 vector-op path (weight decay, momentum or
 * Nesterov, step, the regulariser's shrink) over several steps, parameters, momentum and the
 * gradient buffer it leaves behind included.
 */
class FusedSgdPassTest {
    @ParameterizedTest(name = "momentum {0}, nesterov {1}, lambda {2}")
    @CsvSource({"0.9, true, 0.3", "0.9, true, 0", "0.5, false, 0.3", "0, false, 0.3"})
    void equalsTheVectorOpPath(double momentum, boolean nesterov, double lambda) {
        NetworkGraph graph = SmallGraphs.vggWithFlatten();
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        SubnetworkMask mask = SubnetworkMask.builder()
                .put("c1", new int[] {0, 1, 2, 3, 4})
                .put("c2", new int[] {1, 2, 3, 4, 5, 6, 7})
                .put("fc1", java.util.stream.IntStream.range(0, 12).toArray())
                .build();
        SgdConfig config = new SgdConfig(momentum, nesterov, 5e-2);
        try (ParameterStore f = ParameterStore.allocate(graph, DataType.FLOAT);
             ParameterStore d = ParameterStore.allocate(graph, DataType.DOUBLE);
             SparsityRegularizer fr = new SparsityRegularizer(f);
             SparsityRegularizer dr = new SparsityRegularizer(d);
             SgdOptimizer fo = new SgdOptimizer(f, config);
             SgdOptimizer dopt = new SgdOptimizer(d, config)) {
            assertTrue(FusedSgdPass.supports(f), "float32 on the CPU takes the one-pass path");
            assertTrue(!FusedSgdPass.supports(d), "float64 takes the vector-op path");
            fr.target(groups, mask);
            dr.target(groups, mask);
            int n = Math.toIntExact(f.parameterCount());
            float[] w0 = SeededGaussian.floats(n, 1);
            f.flatParams().assign(Nd4j.createFromArray(w0));
            d.flatParams().assign(Nd4j.createFromArray(w0).castTo(DataType.DOUBLE));
            for (int step = 0; step < 4; step++) {
                float[] g = SeededGaussian.floats(n, 10 + step);
                f.flatGradients().assign(Nd4j.createFromArray(g));
                d.flatGradients().assign(Nd4j.createFromArray(g).castTo(DataType.DOUBLE));
                fo.step(0.1, fr, lambda);
                dopt.step(0.1, dr, lambda);
                assertClose("parameters after step " + step, d.flatParams(), f.flatParams());
                assertClose("gradient buffer after step " + step, d.flatGradients(), f.flatGradients());
                if (momentum > 0) {
                    assertClose("momentum after step " + step, dopt.velocity().orElseThrow(), fo.velocity().orElseThrow());
                }
            }
            // Otherwise both paths would skip the shrink and agree trivially.
            assertTrue(fr.selectedCount() > 0, "the mask penalises entries");
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double[] e = expected.castTo(DataType.DOUBLE).toDoubleVector();
        double[] a = actual.castTo(DataType.DOUBLE).toDoubleVector();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])), what + " at " + i);
        }
    }
}
