package org.ocsp.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node KRaft Kafka broker (one node that is both broker and controller),
 * listening on 127.0.0.1 only.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
 *   Properties p = new Properties();
 *   p.put("bootstrap.servers", kafka.bootstrapServers());
 *   try (Admin admin = Admin.create(p)) { ... }
 * }
 *
 * // Tests: one broker per JVM, started on first use, stopped by a shutdown hook.
 * String bootstrap = EmbeddedKafkaBroker.shared().bootstrapServers();
 * }</pre>
 *
 * <p>{@link #start()} formats the storage (unless already formatted), starts Kafka's {@code
 * KafkaRaftServer} and returns only once an admin client's {@code describeCluster} lists the broker,
 * or fails within the startup timeout with an {@link EmbeddedKafkaException}. The broker settings
 * are in {@link #brokerProperties()}; see deploy/README.md.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  /** Default of {@link Builder#startupTimeout(Duration)}. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /** Tries with new ports when a picked port was taken before Kafka could bind it. */
  private static final int PICKED_PORT_ATTEMPTS = 3;

  private static final Object SHARED_LOCK = new Object();
  private static EmbeddedKafkaBroker sharedBroker;
  private static RuntimeException sharedFailure;

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    CLOSED
  }

  private final Optional<Path> configuredDataDir;
  private final Optional<Integer> configuredPort;
  private final boolean secured;
  private final Map<String, String> extraProperties;
  private final Duration startupTimeout;
  private final FatalFaultPolicy fatalFaultPolicy;
  private final boolean shared;
  private volatile String fatalFault;

  private State state = State.NEW;
  private Path dataDir;
  private boolean ownsDataDir;
  private KafkaRaftServer server;
  private int port;
  private int securedPort;
  private SortedMap<String, String> effectiveProperties;
  private Duration startupTime;

  private EmbeddedKafkaBroker(Builder b, boolean shared) {
    this.configuredDataDir = Optional.ofNullable(b.dataDir);
    this.configuredPort = Optional.ofNullable(b.port);
    this.secured = b.secured;
    this.extraProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    this.startupTimeout = b.startupTimeout;
    this.fatalFaultPolicy = b.fatalFaultPolicy;
    this.shared = shared;
  }

  /** A builder with the defaults: temporary data dir, free loopback port, 60 s startup timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The broker shared by everything in this JVM (tests): started with the defaults on the first
   * call, stopped and deleted by a shutdown hook. {@link #close()} on it does nothing. A start
   * failure is remembered: later calls fail at once with it as the cause.
   */
  public static EmbeddedKafkaBroker shared() {
    synchronized (SHARED_LOCK) {
      if (sharedBroker != null) {
        return sharedBroker;
      }
      if (sharedFailure != null) {
        throw new EmbeddedKafkaException(
            "The shared Kafka broker of this JVM failed to start earlier: "
                + sharedFailure.getMessage(),
            sharedFailure);
      }
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(new Builder(), true);
      try {
        broker.start();
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(broker::stop, "embedded-kafka-shared-shutdown"));
      sharedBroker = broker;
      return broker;
    }
  }

  /**
   * Starts the broker and waits until it is ready. May be called once.
   *
   * @throws EmbeddedKafkaException if it does not start or is not ready within the startup timeout
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (state != State.NEW) {
      throw new IllegalStateException("start() may be called once; this broker is " + state);
    }
    state = State.STARTING;
    long t0 = System.nanoTime();
    long deadline = t0 + startupTimeout.toNanos();
    if (fatalFaultPolicy == FatalFaultPolicy.KEEP_JVM) {
      KafkaExitGuard.install();
      KafkaExitGuard.watch(this);
    }
    try {
      prepareDataDir();
      startServer();
      BrokerReadiness.await(address(), BrokerProperties.NODE_ID, deadline, startupTimeout);
    } catch (Throwable e) { // also checked exceptions thrown by Kafka's Scala code
      stopQuietly(e);
      throw e;
    }
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
    state = State.RUNNING;
    LOG.info(
        "Kafka broker ready at {} in {} ms (data dir {})",
        address(),
        startupTime.toMillis(),
        dataDir);
    return this;
  }

  /** {@code 127.0.0.1:port}, for the clients' {@code bootstrap.servers}. */
  public synchronized String bootstrapServers() {
    checkStarted("bootstrapServers()");
    return address();
  }

  private String address() {
    return BrokerProperties.LOOPBACK + ":" + port;
  }

  /** The port of the client listener on 127.0.0.1. */
  /**
   * The authenticated listener (SASL over TLS) of a broker built with {@link
   * Builder#saslSslListener()}, host:port on 127.0.0.1.
   */
  public synchronized String securedBootstrapServers() {
    if (!secured) {
      throw new IllegalStateException("This broker has no SASL_SSL listener (Builder.saslSslListener())");
    }
    bootstrapServers(); // running check
    return BrokerProperties.LOOPBACK + ":" + securedPort;
  }

  public synchronized int port() {
    checkStarted("port()");
    return port;
  }

  /** The data dir: the configured one, or a temporary one that {@link #close()} deletes. */
  public synchronized Path dataDir() {
    checkStarted("dataDir()");
    return dataDir;
  }

  /** The properties the broker runs with, sorted by key. */
  public synchronized SortedMap<String, String> brokerProperties() {
    checkStarted("brokerProperties()");
    return Collections.unmodifiableSortedMap(effectiveProperties);
  }

  /** From {@link #start()} until the broker was ready. */
  public synchronized Duration startupTime() {
    checkStarted("startupTime()");
    return startupTime;
  }

  /** Started, not closed, and no fatal fault reported by Kafka. */
  public synchronized boolean isRunning() {
    return state == State.RUNNING && fatalFault == null;
  }

  /**
   * The fatal fault Kafka reported while this broker ran, if any (only with {@link
   * FatalFaultPolicy#KEEP_JVM}; with {@link FatalFaultPolicy#HALT_JVM} the JVM is gone). A broker
   * with a fatal fault should be closed.
   */
  public Optional<String> fatalFault() {
    return Optional.ofNullable(fatalFault);
  }

  void onFatalFault(String fault) {
    if (fatalFault == null) {
      fatalFault = fault;
    }
  }

  /** Whether this is the JVM's {@link #shared()} broker, which {@link #close()} does not stop. */
  public boolean isShared() {
    return shared;
  }

  /**
   * Stops the broker and deletes a temporary data dir; a configured data dir is kept. Does nothing
   * for the {@link #shared()} broker or when already closed.
   */
  @Override
  public void close() {
    if (shared) {
      LOG.debug("close() ignored on the shared Kafka broker; a shutdown hook stops it");
      return;
    }
    stop();
  }

  private synchronized void stop() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasRunning = state == State.RUNNING;
    state = State.CLOSED;
    try {
      stopServer();
    } finally {
      KafkaExitGuard.unwatch(this);
      deleteOwnedDataDir();
    }
    if (wasRunning) {
      LOG.info("Kafka broker at {}:{} stopped", BrokerProperties.LOOPBACK, port);
    }
  }

  private void prepareDataDir() {
    try {
      if (configuredDataDir.isPresent()) {
        dataDir = Files.createDirectories(configuredDataDir.get()).toAbsolutePath();
      } else {
        dataDir = Files.createTempDirectory("embedded-kafka-").toAbsolutePath();
        ownsDataDir = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the Kafka data dir " + configuredDataDir, e);
    }
  }

  private void startServer() {
    int attempts = configuredPort.isPresent() ? 1 : PICKED_PORT_ATTEMPTS;
    for (int attempt = 1; ; attempt++) {
      int brokerPort;
      if (configuredPort.isPresent()) {
        brokerPort = configuredPort.get();
        Loopback.checkFree(brokerPort);
      } else {
        brokerPort = Loopback.freePort();
      }
      int controllerPort = Loopback.freePortOtherThan(brokerPort);
      int candidateSecuredPort = secured ? Loopback.freePortOtherThan(brokerPort, controllerPort) : 0;
      SortedMap<String, String> props =
          BrokerProperties.effective(
              brokerPort,
              controllerPort,
              secured ? java.util.OptionalInt.of(candidateSecuredPort) : java.util.OptionalInt.empty(),
              dataDir,
              startupTimeout,
              extraProperties);
      KraftStorage.format(
          KraftStorage.writeProperties(dataDir, props),
          dataDir.resolve(BrokerProperties.LOG_DIR_NAME));
      KafkaRaftServer candidate =
          new KafkaRaftServer(
              KafkaConfig.fromProps(KraftStorage.toProperties(props), false), Time.SYSTEM);
      try {
        candidate.startup();
        server = candidate;
        port = brokerPort;
        securedPort = candidateSecuredPort;
        effectiveProperties = props;
        return;
      } catch (Exception e) { // Scala code throws checked exceptions too (TimeoutException)
        shutdownQuietly(candidate, e);
        if (Loopback.isBindFailure(e) && attempt < attempts) {
          LOG.warn(
              "Port {} or {} was taken before the Kafka broker bound it; retrying with new ports",
              brokerPort,
              controllerPort);
          continue;
        }
        throw new EmbeddedKafkaException(
            "Kafka broker on "
                + BrokerProperties.LOOPBACK
                + ":"
                + brokerPort
                + " (controller port "
                + controllerPort
                + ", data dir "
                + dataDir
                + ") failed to start (startupTimeout "
                + startupTimeout
                + "): "
                + e
                + (fatalFault == null ? "" : "; " + fatalFault),
            e);
      }
    }
  }

  private void stopServer() {
    KafkaRaftServer s = server;
    server = null;
    if (s != null) {
      s.shutdown();
      s.awaitShutdown();
    }
  }

  private void stopQuietly(Throwable cause) {
    state = State.CLOSED;
    KafkaExitGuard.unwatch(this);
    if (fatalFault != null) {
      cause.addSuppressed(new EmbeddedKafkaException(fatalFault));
    }
    try {
      stopServer();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    try {
      deleteOwnedDataDir();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static void shutdownQuietly(KafkaRaftServer s, Throwable cause) {
    try {
      s.shutdown();
      s.awaitShutdown();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private void deleteOwnedDataDir() {
    if (ownsDataDir && dataDir != null) {
      try {
        Utils.delete(dataDir.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete the Kafka data dir " + dataDir, e);
      }
    }
  }

  private void checkStarted(String what) {
    if (state == State.NEW || state == State.STARTING || effectiveProperties == null) {
      throw new IllegalStateException(what + " needs a started broker; this broker is " + state);
    }
  }

  /**
   * Settings of an {@link EmbeddedKafkaBroker}. {@link #build()} reports every invalid setting at
   * once in a {@link BrokerConfigException}.
   */
  public static final class Builder {
    private Path dataDir;
    private Integer port;
    private boolean secured;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private FatalFaultPolicy fatalFaultPolicy = FatalFaultPolicy.KEEP_JVM;

    private Builder() {}

    /**
     * Optional: a data dir kept across runs (created if missing, never deleted). Default: a new
     * temporary directory, deleted on close.
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Optional: the client port on 127.0.0.1 (1-65535). Default: a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Optional: a second client listener, SASL over TLS, named {@code secured}: its SASL mechanisms,
     * JAAS users and TLS keystore are the {@code listener.name.secured.*} broker properties. The
     * plain loopback listener stays for the broker itself (inter-broker, readiness).
     */
    public Builder saslSslListener() {
      this.secured = true;
      return this;
    }

    /** Optional: sets or overrides one broker property (not one of the managed keys). */
    public Builder brokerProperty(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** Optional: {@link #brokerProperty(String, String)} for each entry, in order. */
    public Builder brokerProperties(Map<String, String> entries) {
      Objects.requireNonNull(entries, "entries");
      entries.forEach(this::brokerProperty);
      return this;
    }

    /** Optional: how long start() may take, formatting to ready. Default 60 s. */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = startupTimeout;
      return this;
    }

    /** Optional: what a fatal Kafka fault does. Default {@link FatalFaultPolicy#KEEP_JVM}. */
    public Builder fatalFaultPolicy(FatalFaultPolicy policy) {
      this.fatalFaultPolicy = policy;
      return this;
    }

    /** Checks the settings and returns a broker that is not started yet. */
    public EmbeddedKafkaBroker build() {
      List<String> problems = new ArrayList<>();
      if (port != null && (port < 1 || port > 65535)) {
        problems.add(
            invalid(port, "port", "must be between 1 and 65535; leave it unset to pick a free port"));
      }
      if (dataDir != null && Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
        problems.add(invalid(dataDir, "dataDir", "exists and is not a directory"));
      }
      if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
        problems.add(invalid(startupTimeout, "startupTimeout", "must be positive"));
      }
      if (fatalFaultPolicy == null) {
        problems.add(invalid(null, "fatalFaultPolicy", "must be KEEP_JVM or HALT_JVM"));
      }
      if (problems.isEmpty()) {
        BrokerProperties.check(properties, secured, dataDir, startupTimeout, problems);
      } else {
        BrokerProperties.checkKeys(properties, problems);
      }
      if (!problems.isEmpty()) {
        throw new BrokerConfigException(problems);
      }
      return new EmbeddedKafkaBroker(this, false);
    }

    /** {@code build().start()}. */
    public EmbeddedKafkaBroker start() {
      return build().start();
    }

    private static String invalid(Object value, String name, String reason) {
      return BrokerProperties.invalid(value, name, reason);
    }
  }
}
