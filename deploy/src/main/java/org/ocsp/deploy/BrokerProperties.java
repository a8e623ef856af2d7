package org.ocsp.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * The broker properties of the single-node KRaft broker, declared once.
 *
 * <p>Two kinds of keys: {@link #MANAGED_KEYS} follow from the {@link EmbeddedKafkaBroker.Builder}
 * settings (ports, data dir, startup timeout) and cannot be overridden; {@link #DEFAULTS} are the
 * single-node settings that extra broker properties may override.
 */
final class BrokerProperties {

  /** The node id of the only broker/controller. */
  static final int NODE_ID = 1;
  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  /**
   * The optional authenticated client listener (SASL over TLS); its settings are the caller's
   * {@code listener.name.secured.*} broker properties.
   */
  static final String SECURED_LISTENER = "SECURED";
  static final String LOOPBACK = "127.0.0.1";
  /** Sub-directory of the data dir holding the Kafka log (and metadata log) directory. */
  static final String LOG_DIR_NAME = "kraft-logs";
  /** File in the data dir with the effective properties (read by the storage formatter). */
  static final String PROPERTIES_FILE_NAME = "server.properties";

  /** Read by Kafka's standard authorizer (StandardAuthorizer), not declared in the broker's ConfigDef. */
  static final Set<String> AUTHORIZER_KEYS = Set.of("super.users", "allow.everyone.if.no.acl.found");

  /** Keys derived from the builder's settings; extra broker properties must not set them. */
  static final Set<String> MANAGED_KEYS =
      Collections.unmodifiableSet(
          new TreeSet<>(
              List.of(
                  "process.roles",
                  "node.id",
                  "controller.quorum.voters",
                  "controller.quorum.bootstrap.servers",
                  "listeners",
                  "advertised.listeners",
                  "listener.security.protocol.map",
                  "controller.listener.names",
                  "inter.broker.listener.name",
                  "log.dirs",
                  "log.dir",
                  "metadata.log.dir",
                  "server.max.startup.time.ms")));

  /**
   * Single-node settings, each overridable through extra broker properties. Ordered as documented
   * in deploy/README.md.
   */
  static final Map<String, String> DEFAULTS = defaults();

  private BrokerProperties() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    // One replica of everything: internal topics would otherwise wait for 3 brokers.
    d.put("offsets.topic.replication.factor", "1");
    d.put("transaction.state.log.replication.factor", "1");
    d.put("transaction.state.log.min.isr", "1");
    d.put("share.coordinator.state.topic.replication.factor", "1");
    d.put("share.coordinator.state.topic.min.isr", "1");
    d.put("default.replication.factor", "1");
    d.put("min.insync.replicas", "1");
    // Internal topics with one partition: created and loaded in a fraction of the default 50.
    d.put("offsets.topic.num.partitions", "1");
    d.put("transaction.state.log.num.partitions", "1");
    d.put("num.partitions", "1");
    // Topics are created explicitly, with their configs, by whoever owns them.
    d.put("auto.create.topics.enable", "false");
    // No 3 s wait before the first consumer group rebalance.
    d.put("group.initial.rebalance.delay.ms", "0");
    // Kafka's default and maximum: 15 min. Exactly-once Kafka sinks must use a
    // transaction.timeout.ms at or below it (Flink's default of 1 h is refused).
    d.put("transaction.max.timeout.ms", "900000");
    // 16 MiB instead of 128 MiB of heap for the log cleaner's dedupe buffer.
    d.put("log.cleaner.dedupe.buffer.size", "16777216");
    return Collections.unmodifiableMap(d);
  }

  /**
   * Checks extra broker properties: keys (see {@link #checkKeys}), then Kafka's own validation of
   * the effective properties (types, ranges, rules across keys) with placeholder ports. Adds a
   * message per problem to {@code problems}.
   */
  static void check(
      Map<String, String> extra,
      boolean secured,
      Path dataDir,
      Duration startupTimeout,
      List<String> problems) {
    if (!checkKeys(extra, problems)) {
      return;
    }
    Path dir =
        dataDir != null
            ? dataDir
            : Path.of(System.getProperty("java.io.tmpdir"), "embedded-kafka-validation");
    try {
      KafkaConfig.fromProps(
          KraftStorage.toProperties(
              effective(9092, 9093, secured ? OptionalInt.of(9094) : OptionalInt.empty(), dir,
                  startupTimeout, extra)),
          false);
    } catch (ConfigException | IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  /**
   * Checks that each extra key is a Kafka broker configuration (or a {@code listener.name.}
   * prefixed one), not a managed key, with a value. Returns whether all were valid.
   */
  static boolean checkKeys(Map<String, String> extra, List<String> problems) {
    int before = problems.size();
    Set<String> known = KafkaConfig.configDef().names();
    for (Map.Entry<String, String> e : extra.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isBlank()) {
        problems.add(invalid(e.getValue(), "broker property '" + key + "'", "key is blank"));
      } else if (e.getValue() == null) {
        problems.add(invalid(null, key, "broker property values must not be null"));
      } else if (MANAGED_KEYS.contains(key)) {
        problems.add(
            invalid(
                e.getValue(),
                key,
                "set by EmbeddedKafkaBroker (single KRaft node on 127.0.0.1); use the builder's"
                    + " port, dataDir or startupTimeout instead"));
      } else if (!known.contains(key)
          && !key.startsWith("listener.name.")
          && !AUTHORIZER_KEYS.contains(key)) {
        problems.add(invalid(e.getValue(), key, "not a Kafka broker configuration"));
      }
    }
    return problems.size() == before;
  }

  static String invalid(Object value, String name, String reason) {
    return "Invalid value " + value + " for configuration " + name + ": " + reason;
  }

  /**
   * The effective properties: managed keys, then {@link #DEFAULTS} overridden by {@code extra}.
   */
  static SortedMap<String, String> effective(
      int brokerPort,
      int controllerPort,
      OptionalInt securedPort,
      Path dataDir,
      Duration startupTimeout,
      Map<String, String> extra) {
    SortedMap<String, String> p = new TreeMap<>(DEFAULTS);
    p.putAll(extra);
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    p.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + controllerPort);
    p.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
    p.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    if (securedPort.isPresent()) {
      String secured = SECURED_LISTENER + "://" + LOOPBACK + ":" + securedPort.getAsInt();
      p.put("listeners", p.get("listeners") + "," + secured);
      p.put("advertised.listeners", p.get("advertised.listeners") + "," + secured);
      p.put(
          "listener.security.protocol.map",
          p.get("listener.security.protocol.map") + "," + SECURED_LISTENER + ":SASL_SSL");
    }
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put("log.dirs", dataDir.resolve(LOG_DIR_NAME).toAbsolutePath().toString());
    // Bounds Kafka's own startup waits (metadata catch-up, unfencing) by our startup timeout.
    p.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));
    return p;
  }
}
