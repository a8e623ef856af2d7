package org.ocsp.flink.job.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Test helper: a loopback port nothing listens on. */
final class Loopbacks {
    private Loopbacks() {
    }

    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // closed again when this returns
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
