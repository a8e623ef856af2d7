package org.ocsp.flink.chain;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * An Ed25519 signature over one event's logged bytes and the id of the key that made it. It
 * travels as two Kafka record headers ({@value #SIGNATURE_HEADER}, {@value #KEY_ID_HEADER}) and as
 * two fields of an exported archive, so the signed bytes are the event's bytes unchanged.
 *
 * @param keyId the signing key's id ({@link SigningKey#keyId})
 * @param signature the 64-byte Ed25519 signature
 */
public record EventSignature(String keyId, byte[] signature) {
    public static final String SIGNATURE_HEADER = "ocsp.signature";
    public static final String KEY_ID_HEADER = "ocsp.signing-key-id";

    public EventSignature {
        Objects.requireNonNull(keyId, "keyId");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The signature in a Kafka record's headers, if it carries both of them. */
    public static Optional<EventSignature> from(Headers headers) {
        Header sig = headers.lastHeader(SIGNATURE_HEADER);
        Header key = headers.lastHeader(KEY_ID_HEADER);
        if (sig == null || key == null || sig.value() == null || key.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new EventSignature(new String(key.value(), StandardCharsets.UTF_8), sig.value()));
    }

    /** Adds the two headers to a record's headers. */
    public void addTo(Headers headers) {
        headers.add(SIGNATURE_HEADER, signature.clone());
        headers.add(KEY_ID_HEADER, keyId.getBytes(StandardCharsets.UTF_8));
    }
}
