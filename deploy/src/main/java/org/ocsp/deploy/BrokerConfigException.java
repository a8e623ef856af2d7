package org.ocsp.deploy;

import java.util.List;

/**
 * Invalid {@link EmbeddedKafkaBroker.Builder} settings. Lists every problem found, one per line,
 * each as "Invalid value V for configuration N: reason".
 */
public final class BrokerConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  BrokerConfigException(List<String> problems) {
    super(
        "Invalid embedded Kafka broker configuration ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n  "
            + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, in the order they were found. */
  public List<String> problems() {
    return problems;
  }
}
