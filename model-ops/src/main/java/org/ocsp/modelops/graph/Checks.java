package org.ocsp.modelops.graph;

/** Argument checks whose messages name the setting, the value and the rule. */
public final class Checks {
    private Checks() {
    }

    public static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Invalid value " + value + " for " + name + ": must be > 0");
        }
    }

    public static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("Invalid value " + value + " for " + name + ": must be >= 0");
        }
    }

    public static void checkArgument(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static void checkState(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
