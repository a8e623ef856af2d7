package org.ocsp.flink.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The job's Ed25519 private key, read from a PEM file ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8,
 * as {@code openssl genpkey -algorithm ed25519} writes it or {@link #generate} does), mounted from
 * a Kubernetes Secret in production. Never logged, never put into state or the event log; only its
 * public key's id is.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.read(Path.of("/etc/ocsp/signing/private.pem"));
 * EventSignature s = key.sign(eventBytes);
 * }</pre>
 */
public final class SigningKey {
    static final String ALGORITHM = "Ed25519";

    private final PrivateKey privateKey;
    private final VerifyingKey publicKey;

    private SigningKey(PrivateKey privateKey, VerifyingKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Reads the private key; the public key (and so the key id) is derived from it. */
    public static SigningKey read(Path pemFile) throws IOException {
        byte[] der = Pem.read(pemFile, "PRIVATE KEY");
        try {
            PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
            SigningKey k = new SigningKey(key, VerifyingKey.of(PublicKeys.derive(der)));
            byte[] probe = pemFile.toString().getBytes(StandardCharsets.UTF_8);
            if (!k.publicKey.verifies(probe, k.sign(probe).signature())) {
                throw new GeneralSecurityException("the public key derived from it does not verify its signatures");
            }
            return k;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pemFile + " does not hold an Ed25519 private key (PKCS#8 PEM): " + e.getMessage(), e);
        }
    }

    /**
     * Writes a new key pair: the private key readable by its owner only, the public key for
     * auditors. Refuses to overwrite either file.
     */
    public static VerifyingKey generate(Path privatePem, Path publicPem) throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
        if (Files.exists(privatePem) || Files.exists(publicPem)) {
            throw new IOException("Refusing to overwrite " + (Files.exists(privatePem) ? privatePem : publicPem));
        }
        Path parent = privatePem.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createFile(privatePem);
        try {
            Files.setPosixFilePermissions(privatePem, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions have to protect it
        }
        Files.writeString(privatePem, Pem.format("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        VerifyingKey k = VerifyingKey.of(pair.getPublic());
        k.write(publicPem);
        return k;
    }

    public String keyId() {
        return publicKey.keyId();
    }

    public VerifyingKey publicKey() {
        return publicKey;
    }

    /** Signs an event's logged bytes. */
    public EventSignature sign(byte[] eventBytes) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(eventBytes);
            return new EventSignature(keyId(), s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** PEM armour: base64 of the DER bytes between BEGIN and END lines. */
    static final class Pem {
        private Pem() {
        }

        static byte[] read(Path file, String label) throws IOException {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            String begin = "-----BEGIN " + label + "-----";
            String end = "-----END " + label + "-----";
            int b = text.indexOf(begin);
            int e = text.indexOf(end);
            if (b < 0 || e < b) {
                throw new IOException(file + " is not a PEM file with a '" + begin + "' block");
            }
            try {
                return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
            } catch (IllegalArgumentException ex) {
                throw new IOException(file + ": the PEM block is not base64: " + ex.getMessage(), ex);
            }
        }

        static String format(String label, byte[] der) {
            return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END " + label + "-----\n";
        }
    }

    /**
     * The public half of a PKCS#8 Ed25519 key. The JDK has no API for it, but its generator derives
     * the pair from 32 random bytes, the seed a PKCS#8 file ends with (RFC 8410); {@link #read}
     * checks the result by a signature round trip, so a JDK that generates differently fails loudly.
     */
    static final class PublicKeys {
        private PublicKeys() {
        }

        static PublicKey derive(byte[] pkcs8) throws GeneralSecurityException {
            byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(new java.security.spec.NamedParameterSpec(ALGORITHM), new FixedSeed(seed));
            return g.generateKeyPair().getPublic();
        }
    }

    /** A SecureRandom that returns one fixed seed: only for deriving a public key from its private seed. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
