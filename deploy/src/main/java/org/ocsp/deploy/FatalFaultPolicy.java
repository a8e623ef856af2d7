package org.ocsp.deploy;

/**
 * What happens when Kafka meets a fatal fault (a controller or raft failure, a failed startup).
 * Kafka's own answer is to halt the JVM; an embedded broker shares its JVM with tests or a Flink
 * mini-cluster.
 */
public enum FatalFaultPolicy {
  /**
   * Kafka's halt and exit calls are logged and ignored for the whole JVM, so the JVM survives: a
   * failed startup becomes an {@link EmbeddedKafkaException} from start(), a fault while running
   * makes {@link EmbeddedKafkaBroker#isRunning()} false and is named by {@link
   * EmbeddedKafkaBroker#fatalFault()}. The default.
   */
  KEEP_JVM,
  /** Kafka halts the JVM, as a stand-alone broker does. For a JVM that runs only the broker. */
  HALT_JVM
}
