package org.ocsp.modelops.export;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.ocsp.modelops.io.AtomicFile;

/** How every export reaches the disk: whole or not at all, with the SHA-256 that names it. */
final class ExportFiles {
    static final String PRODUCER_VERSION = "0.1.0";

    private ExportFiles() {
    }

    /** Writes {@code bytes} to a temporary sibling, then renames it over {@code file}; returns the SHA-256 (hex). */
    static String writeAtomically(Path file, byte[] bytes) throws IOException {
        AtomicFile.write(file, out -> out.write(bytes));
        return sha256(bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }
}
