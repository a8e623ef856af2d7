package org.ocsp.modelops.graph;

import java.util.List;

/** One layer of a graph: what it computes and which nodes feed it, in order. */
public record Node(LayerId id, LayerSpec spec, List<LayerId> inputs) {
    public Node {
        inputs = List.copyOf(inputs);
    }
}
