package org.ocsp.flink.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Ed25519 key pair the tests' jobs and fixture logs sign with: made once per test JVM, in a temporary directory. */
public final class TestSigningKey {
    private static Path dir;

    private TestSigningKey() {
    }

    /** The private key's PEM file (what {@code --signing-key-file} names). */
    public static synchronized Path privateKeyFile() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("ocsp-signing");
                SigningKey.generate(d.resolve("private.pem"), d.resolve("public.pem"));
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir.resolve("private.pem");
    }

    public static SigningKey signingKey() {
        try {
            return SigningKey.read(privateKeyFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static VerifyingKey publicKey() {
        return signingKey().publicKey();
    }
}
