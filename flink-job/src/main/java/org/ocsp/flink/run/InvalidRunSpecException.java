package org.ocsp.flink.run;

import java.util.List;

/** A run specification the job cannot run; the message lists every problem. */
public final class InvalidRunSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidRunSpecException(List<String> problems) {
        super("Invalid run specification:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
