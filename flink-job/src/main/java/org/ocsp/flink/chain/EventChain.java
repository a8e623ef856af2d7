package org.ocsp.flink.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The link of the run log's hash chain: an event's {@code header.previousHash} is the SHA-256 of
 * the single-object bytes of the run's previous event exactly as logged (RunStarted is the root).
 * Hashing the logged bytes, not a re-encoding, keeps the chain checkable across schema versions.
 */
public final class EventChain {
    private EventChain() {
    }

    /** Lower-case hex SHA-256 of an event's logged bytes: what the next event's previousHash must be. */
    public static String hash(byte[] eventBytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(eventBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
