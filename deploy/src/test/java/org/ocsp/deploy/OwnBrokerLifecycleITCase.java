package org.ocsp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocsp.deploy.KafkaTestClients.TIMEOUT;
import static org.ocsp.deploy.KafkaTestClients.admin;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brokers of their own (not the shared one): ports, data dirs, restart, start failures. */
class OwnBrokerLifecycleITCase {

  @TempDir Path tmp;

  @Test
  void configuredDataDirAndPortAreUsedAndDataSurvivesARestart() throws Exception {
    Path dataDir = tmp.resolve("kafka");
    int port = Loopback.freePort();
    String topic = "kept";
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder()
            .dataDir(dataDir)
            .port(port)
            .brokerProperty("log.retention.hours", "24")
            .start()) {
      assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
      assertEquals("24", broker.brokerProperties().get("log.retention.hours"));
      assertTrue(Files.isRegularFile(dataDir.resolve("server.properties")));
      try (Admin admin = admin(broker)) {
        admin
            .createTopics(
                List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("retention.ms", "60000"))))
            .all()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    assertTrue(Files.isDirectory(dataDir.resolve("kraft-logs")), "configured data dir is kept");

    try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.builder().dataDir(dataDir).start();
        Admin admin = admin(again)) {
      assertTrue(
          admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic));
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
      assertEquals("60000", config.get("retention.ms").value());
    }
  }

  @Test
  void temporaryDataDirIsDeletedAndPortReleasedOnClose() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
    Path dataDir = broker.dataDir();
    int port = broker.port();
    assertTrue(Files.isDirectory(dataDir));
    assertFalse(broker.isShared());
    broker.close();
    assertFalse(broker.isRunning());
    assertFalse(Files.exists(dataDir), "temporary data dir deleted");
    Loopback.checkFree(port);
    broker.close(); // idempotent
    IllegalStateException e = assertThrows(IllegalStateException.class, broker::start);
    assertEquals("start() may be called once; this broker is CLOSED", e.getMessage());
  }

  @Test
  void startFailsClearlyWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, Loopback.address())) {
      int port = taken.getLocalPort();
      EmbeddedKafkaException e =
          assertThrows(
              EmbeddedKafkaException.class,
              () -> EmbeddedKafkaBroker.builder().dataDir(tmp.resolve("k")).port(port).start());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "Cannot start the Kafka broker: port 127.0.0.1:" + port
                      + " (setting port) is not free"),
          e.getMessage());
    }
  }

  @Test
  void startFailsClearlyWhenNotReadyWithinTheStartupTimeout() {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().startupTimeout(Duration.ofMillis(1)).build();
    EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class, broker::start);
    assertTrue(e.getMessage().contains("startupTimeout PT0.001S"), e.getMessage());
    assertTrue(e.getMessage().contains("Kafka asked to halt the JVM"), e.getMessage());
    assertFalse(broker.isRunning());
  }
}
