package org.ocsp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Builder validation and the declared broker properties; no broker is started. */
class EmbeddedKafkaBrokerTest {

  @TempDir static Path tmp;

  static Stream<Arguments> invalidSettings() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    return Stream.of(
        bad("port 0", b -> b.port(0), "Invalid value 0 for configuration port: must be between 1"),
        bad("port 65536", b -> b.port(65536), "Invalid value 65536 for configuration port"),
        bad(
            "data dir is a file",
            b -> b.dataDir(file),
            "Invalid value " + file + " for configuration dataDir: exists and is not a directory"),
        bad(
            "zero startup timeout",
            b -> b.startupTimeout(Duration.ZERO),
            "Invalid value PT0S for configuration startupTimeout: must be positive"),
        bad(
            "null startup timeout",
            b -> b.startupTimeout(null),
            "Invalid value null for configuration startupTimeout: must be positive"),
        bad(
            "managed key listeners",
            b -> b.brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092"),
            "Invalid value PLAINTEXT://0.0.0.0:9092 for configuration listeners: set by"
                + " EmbeddedKafkaBroker"),
        bad(
            "managed key node.id",
            b -> b.brokerProperty("node.id", "7"),
            "Invalid value 7 for configuration node.id: set by EmbeddedKafkaBroker"),
        bad(
            "misspelt key",
            b -> b.brokerProperty("transaction.max.timeout.msec", "1000"),
            "Invalid value 1000 for configuration transaction.max.timeout.msec: not a Kafka broker"
                + " configuration"),
        bad(
            "blank key",
            b -> b.brokerProperty(" ", "1"),
            "Invalid value 1 for configuration broker property ' ': key is blank"),
        bad(
            "null value",
            b -> b.brokerProperty("num.partitions", null),
            "Invalid value null for configuration num.partitions: broker property values must not"
                + " be null"),
        bad(
            "wrong type, found by Kafka",
            b -> b.brokerProperty("num.partitions", "many"),
            "Invalid value many for configuration num.partitions"),
        bad(
            "out of range, found by Kafka",
            b -> b.brokerProperty("transaction.state.log.min.isr", "0"),
            "Invalid value 0 for configuration transaction.state.log.min.isr"));
  }

  private static Arguments bad(
      String name, UnaryOperator<EmbeddedKafkaBroker.Builder> setting, String expected) {
    return Arguments.of(name, setting, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSettings")
  void buildRejectsInvalidSetting(
      String name, UnaryOperator<EmbeddedKafkaBroker.Builder> setting, String expected) {
    BrokerConfigException e =
        assertThrows(
            BrokerConfigException.class, () -> setting.apply(EmbeddedKafkaBroker.builder()).build());
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(
        e.problems().get(0).startsWith(expected),
        () -> "expected a problem starting with\n  " + expected + "\nbut got\n  " + e.getMessage());
  }

  @Test
  void buildReportsEveryProblemTogether() {
    BrokerConfigException e =
        assertThrows(
            BrokerConfigException.class,
            () ->
                EmbeddedKafkaBroker.builder()
                    .port(-1)
                    .startupTimeout(Duration.ofSeconds(-5))
                    .brokerProperty("log.dirs", "/data")
                    .brokerProperty("no.such.setting", "x")
                    .build());
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().startsWith("Invalid embedded Kafka broker configuration (4 problems)"));
    for (String key : List.of("port", "startupTimeout", "log.dirs", "no.such.setting")) {
      assertTrue(
          e.getMessage().contains("for configuration " + key + ":"), key + ": " + e.getMessage());
    }
  }

  @Test
  void buildAcceptsOverridesOfSingleNodeDefaults() {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder()
            .brokerProperties(
                Map.of("transaction.max.timeout.ms", "600000", "log.retention.hours", "24"))
            .brokerProperty("listener.name.plaintext.max.connections", "100")
            .build();
    assertTrue(!broker.isRunning());
  }

  @Test
  void brokerPropertiesBeforeStartFailClearly() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
    IllegalStateException e = assertThrows(IllegalStateException.class, broker::bootstrapServers);
    assertEquals("bootstrapServers() needs a started broker; this broker is NEW", e.getMessage());
  }

  @Test
  void declaredKeysAreKafkaBrokerConfigurations() {
    Set<String> known = KafkaConfig.configDef().names();
    for (String key : BrokerProperties.DEFAULTS.keySet()) {
      assertTrue(known.contains(key), key);
    }
    for (String key : BrokerProperties.MANAGED_KEYS) {
      assertTrue(known.contains(key), key);
    }
  }

  @Test
  void aSaslSslListenerIsAThirdLoopbackListenerNamedSecured() {
    Map<String, String> p =
        BrokerProperties.effective(
            19092,
            19093,
            java.util.OptionalInt.of(19094),
            Path.of("/data/kafka"),
            Duration.ofSeconds(30),
            new HashMap<>());
    assertEquals(
        "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093,SECURED://127.0.0.1:19094",
        p.get("listeners"));
    assertEquals(
        "PLAINTEXT://127.0.0.1:19092,SECURED://127.0.0.1:19094", p.get("advertised.listeners"));
    assertEquals(
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURED:SASL_SSL",
        p.get("listener.security.protocol.map"));
    assertEquals("PLAINTEXT", p.get("inter.broker.listener.name"));
  }

  @Test
  void effectivePropertiesAreASingleLoopbackKraftNode() {
    Map<String, String> p =
        BrokerProperties.effective(
            19092,
            19093,
            java.util.OptionalInt.empty(),
            Path.of("/data/kafka"),
            Duration.ofSeconds(30),
            new HashMap<>());
    assertEquals("broker,controller", p.get("process.roles"));
    assertEquals("1@127.0.0.1:19093", p.get("controller.quorum.voters"));
    assertEquals("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", p.get("listeners"));
    assertEquals("PLAINTEXT://127.0.0.1:19092", p.get("advertised.listeners"));
    assertEquals("/data/kafka/kraft-logs", p.get("log.dirs"));
    assertEquals("30000", p.get("server.max.startup.time.ms"));
    assertEquals("false", p.get("auto.create.topics.enable"));
    assertEquals("1", p.get("transaction.state.log.min.isr"));
    assertEquals("900000", p.get("transaction.max.timeout.ms"));
  }
}
