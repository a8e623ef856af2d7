package org.ocsp.deploy;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

/**
 * Waits until a broker answers {@code describeCluster} with itself in the node list: then clients
 * can create topics, produce and consume.
 */
final class BrokerReadiness {
  /** Pause between two answers that do not yet list the broker (not between failed connects). */
  private static final long POLL_PAUSE_MS = 50;

  private BrokerReadiness() {}

  static void await(String bootstrapServers, int nodeId, long deadlineNanos, Duration timeout) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
    String last = "no answer yet";
    try (Admin admin = Admin.create(p)) {
      while (true) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMs <= 0) {
          throw new EmbeddedKafkaException(
              "Kafka broker at "
                  + bootstrapServers
                  + " was not ready within startupTimeout "
                  + timeout
                  + ": last describeCluster: "
                  + last);
        }
        try {
          DescribeClusterResult result =
              admin.describeCluster(
                  new DescribeClusterOptions().timeoutMs((int) Math.min(remainingMs, 30_000)));
          Collection<Node> nodes = result.nodes().get();
          if (nodes.stream().anyMatch(n -> n.id() == nodeId)) {
            return;
          }
          last = "nodes " + nodes + " do not include node " + nodeId;
        } catch (ExecutionException e) {
          last = String.valueOf(e.getCause());
        }
        TimeUnit.MILLISECONDS.sleep(Math.min(POLL_PAUSE_MS, Math.max(1, remainingMs)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException(
          "Interrupted while waiting for the Kafka broker at " + bootstrapServers, e);
    }
  }
}
