package org.ocsp.modelops.graph;

/** Argument checks of layer specs and graphs, whose messages name the setting, the value and the rule. */
final class Checks {
    private Checks() {
    }

    static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Invalid value " + value + " for " + name + ": must be > 0");
        }
    }

    static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("Invalid value " + value + " for " + name + ": must be >= 0");
        }
    }

    static void checkArgument(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
