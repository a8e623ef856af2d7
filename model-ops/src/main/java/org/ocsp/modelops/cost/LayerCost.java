package org.ocsp.modelops.cost;

import java.util.Objects;
import org.ocsp.modelops.graph.LayerId;

/** The cost of one node: its id, layer type ({@code LayerSpec.type()}) and FLOPs / parameters. */
public record LayerCost(LayerId id, String type, long flops, long params) {
    public LayerCost {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
    }
}
