package org.ocsp.flink.chain;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * An Ed25519 public key that checks the job's event signatures, read from a PEM file
 * ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). Its id, the first 16 hex digits
 * of the SHA-256 of that encoding, names the key in signatures and in RunStarted.
 *
 * <pre>{@code
 * VerifyingKey k = VerifyingKey.read(Path.of("signing-public.pem"));
 * boolean ok = k.verifies(eventBytes, signature.signature());
 * }</pre>
 */
public final class VerifyingKey {
    private final PublicKey key;
    private final String keyId;

    private VerifyingKey(PublicKey key) {
        this.key = key;
        try {
            this.keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static VerifyingKey of(PublicKey key) {
        return new VerifyingKey(key);
    }

    public static VerifyingKey read(Path pemFile) throws IOException {
        byte[] der = SigningKey.Pem.read(pemFile, "PUBLIC KEY");
        try {
            return new VerifyingKey(KeyFactory.getInstance(SigningKey.ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pemFile + " does not hold an Ed25519 public key (X.509 PEM): " + e.getMessage(), e);
        }
    }

    /** Writes the key as PEM (X.509), for auditors. */
    public void write(Path pemFile) throws IOException {
        java.nio.file.Files.writeString(pemFile, SigningKey.Pem.format("PUBLIC KEY", key.getEncoded()),
                java.nio.charset.StandardCharsets.US_ASCII);
    }

    public String keyId() {
        return keyId;
    }

    /** Whether {@code signature} is this key's signature of {@code eventBytes}. */
    public boolean verifies(byte[] eventBytes, byte[] signature) {
        try {
            Signature s = Signature.getInstance(SigningKey.ALGORITHM);
            s.initVerify(key);
            s.update(eventBytes);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // malformed signature bytes
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 verification failed", e);
        }
    }

    @Override
    public String toString() {
        return "Ed25519 key " + keyId;
    }
}
