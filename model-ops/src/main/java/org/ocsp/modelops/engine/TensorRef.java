package org.ocsp.modelops.engine;

import org.ocsp.modelops.graph.LayerId;

/** Names one tensor: a layer and which of its tensors. Ordered by graph position, then kind. */
public record TensorRef(LayerId layer, TensorKind kind) {
    public String key() {
        return layer.value() + "." + kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
