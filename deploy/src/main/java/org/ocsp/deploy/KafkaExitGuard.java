package org.ocsp.deploy;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces Kafka's JVM-wide exit and halt procedures (used by its fatal fault handlers) by ones that
 * log the request and tell the embedded brokers of this JVM, instead of ending the JVM. Kafka's
 * startup code goes on to shut itself down and rethrow its error.
 */
final class KafkaExitGuard {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaExitGuard.class);
  private static final Set<EmbeddedKafkaBroker> WATCHED = new CopyOnWriteArraySet<>();
  private static boolean installed;

  private KafkaExitGuard() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    Exit.setHaltProcedure((status, message) -> onFatal("halt", status, message));
    Exit.setExitProcedure((status, message) -> onFatal("exit", status, message));
    installed = true;
  }

  static void watch(EmbeddedKafkaBroker broker) {
    WATCHED.add(broker);
  }

  static void unwatch(EmbeddedKafkaBroker broker) {
    WATCHED.remove(broker);
  }

  private static void onFatal(String action, int status, String message) {
    String fault =
        "Kafka asked to "
            + action
            + " the JVM with status "
            + status
            + (message == null ? "" : " (" + message + ")")
            + " after a fatal fault (logged above by Kafka)";
    LOG.error("{}; ignored because the broker runs embedded in this JVM", fault);
    for (EmbeddedKafkaBroker broker : WATCHED) {
      broker.onFatalFault(fault);
    }
  }
}
