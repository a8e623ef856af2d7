package org.ocsp.modelops.arch;

import java.util.List;

/** Thrown by {@link Architectures#byName} for a name it does not know; the message lists the known names. */
public final class UnknownArchitectureException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> known;

    UnknownArchitectureException(String name, List<String> known) {
        super("Unknown architecture '" + name + "': known architectures are " + String.join(", ", known));
        this.name = name;
        this.known = List.copyOf(known);
    }

    public String name() {
        return name;
    }

    public List<String> known() {
        return known;
    }
}
