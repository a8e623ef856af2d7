package org.ocsp.deploy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Loopback ports: picking a free one, checking a chosen one, recognising bind failures. */
final class Loopback {

  private Loopback() {}

  static InetAddress address() {
    try {
      return InetAddress.getByName(BrokerProperties.LOOPBACK);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("Cannot resolve " + BrokerProperties.LOOPBACK, e);
    }
  }

  /**
   * A port that was free a moment ago. Another process may take it before Kafka binds it: callers
   * retry on a bind failure (see {@link #isBindFailure(Throwable)}).
   */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, address())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          "Cannot find a free port on " + BrokerProperties.LOOPBACK + ": " + e.getMessage(), e);
    }
  }

  /** A free port other than {@code other}. */
  static int freePortOtherThan(int... others) {
    while (true) {
      int port = freePort();
      if (java.util.Arrays.stream(others).noneMatch(o -> o == port)) {
        return port;
      }
    }
  }

  /** Fails with a clear message when {@code port} is taken on the loopback address. */
  static void checkFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address(), port), 1);
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          "Cannot start the Kafka broker: port "
              + BrokerProperties.LOOPBACK
              + ":"
              + port
              + " (setting port) is not free ("
              + e.getMessage()
              + "); choose another port, or leave port unset to pick a free one",
          e);
    }
  }

  /** Whether {@code error} (or one of its causes) says that a socket could not be bound. */
  static boolean isBindFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && message.contains("Address already in use")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
