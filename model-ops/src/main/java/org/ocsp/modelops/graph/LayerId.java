package org.ocsp.modelops.graph;

import java.util.Objects;

/** Identifies a layer by value (never by object identity), e.g. {@code LayerId.of("stage1.block0.conv1")}. */
public record LayerId(String value) implements Comparable<LayerId> {
    public LayerId {
        Objects.requireNonNull(value, "layer id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("Invalid layer id '" + value + "': must not be blank");
        }
    }

    public static LayerId of(String value) {
        return new LayerId(value);
    }

    @Override
    public int compareTo(LayerId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
