package org.ocsp.flink.run;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a run id may be. It names the run's events (their Kafka key), its keyed state and its
 * model directory, so it is checked wherever it enters: the CLI (a usage error), an event read
 * from the log (a dead letter) and the model directory ({@link #directory}). The pattern is
 * conservative on purpose: letters, digits, '.', '_' and '-', starting with a letter or digit,
 * at most {@value #MAX_LENGTH} characters; no path separator, no "." or "..", nothing a shell or
 * a URL must quote.
 */
public final class RunIds {
    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private RunIds() {
    }

    /** Why {@code runId} is not a valid run id, if it is not. */
    public static Optional<String> problem(String runId) {
        if (runId == null || runId.isEmpty()) {
            return Optional.of("Invalid run id: it is empty");
        }
        if (runId.length() > MAX_LENGTH) {
            return Optional.of("Invalid run id '" + runId.substring(0, 32) + "...': " + runId.length()
                    + " characters, at most " + MAX_LENGTH);
        }
        if (!VALID.matcher(runId).matches()) {
            return Optional.of("Invalid run id '" + printable(runId) + "': use letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** The id, or an IllegalArgumentException saying why it is not one. */
    public static String require(String runId) {
        problem(runId).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return runId;
    }

    /**
     * The run's own directory under {@code root}: refused unless the id is valid and the resolved
     * path stays directly inside {@code root}, so no id can name another run's or any other files.
     */
    public static Path directory(Path root, String runId) {
        Path base = root.toAbsolutePath().normalize();
        Path dir = base.resolve(require(runId)).normalize();
        if (!base.equals(dir.getParent())) {
            throw new IllegalArgumentException("Invalid run id '" + runId + "': its directory " + dir
                    + " is not directly inside " + base);
        }
        return dir;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
