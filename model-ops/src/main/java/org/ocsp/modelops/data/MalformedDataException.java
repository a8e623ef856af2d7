package org.ocsp.modelops.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file exists but its content is not what its format promises (bad magic number,
 * impossible dimensions, truncated payload, label out of range). The message names the file
 * and the problem; {@link #file()} gives the file for programmatic use.
 *
 * <pre>{@code
 * try {
 *     IdxReader.readImages(path);
 * } catch (MalformedDataException e) {
 *     log.error("Skipping {}: {}", e.file(), e.getMessage());
 * }
 * }</pre>
 */
public final class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public MalformedDataException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public MalformedDataException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
