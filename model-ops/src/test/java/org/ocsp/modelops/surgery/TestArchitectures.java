package org.ocsp.modelops.surgery;

import java.util.List;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.testing.SmallGraphs;

/** Every architecture the oracle tests run on. */
final class TestArchitectures {
    private TestArchitectures() {
    }

    static List<NetworkGraph> all() {
        return List.of(SmallGraphs.vggWithFlatten(), SmallGraphs.residual(), SmallGraphs.depthwise());
    }
}
