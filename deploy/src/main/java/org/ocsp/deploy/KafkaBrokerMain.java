package org.ocsp.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the {@link EmbeddedKafkaBroker} in its own JVM until interrupted (Ctrl-C, SIGTERM), for the
 * local stack when Flink runs separately.
 *
 * <pre>{@code
 * java -cp deploy/target/deploy.jar:<dependencies> org.ocsp.deploy.KafkaBrokerMain \
 *     --port 9092 --data-dir /tmp/ocsp-kafka -D log.retention.hours=24
 * }</pre>
 *
 * Prints {@code bootstrap.servers=127.0.0.1:PORT} on standard output once the broker is ready.
 */
@Command(
    name = "kafka-broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a single-node KRaft Kafka broker (broker and controller) on 127.0.0.1 until"
          + " interrupted.",
      "Prints bootstrap.servers=127.0.0.1:PORT once it is ready."
    })
public final class KafkaBrokerMain implements Callable<Integer> {
  /** Log4j 2 configuration used unless -Dlog4j2.configurationFile is given: Kafka at WARN. */
  static final String LOG_CONFIG = "org/ocsp/deploy/kafka-broker-log4j2.xml";

  @Spec private CommandSpec spec;

  @Option(
      names = "--port",
      description = "Client port on 127.0.0.1 (1-65535). Default: a free port.")
  private Integer port;

  @Option(
      names = "--data-dir",
      description =
          "Data dir kept across runs (created if missing). Default: a temporary dir deleted on"
              + " exit.")
  private Path dataDir;

  @Option(
      names = {"-D", "--broker-property"},
      paramLabel = "KEY=VALUE",
      description = "Sets or overrides a broker property (repeatable).")
  private Map<String, String> brokerProperties = new LinkedHashMap<>();

  @Option(
      names = "--startup-timeout",
      paramLabel = "DURATION",
      description = "ISO-8601 duration, e.g. PT60S. Default: PT60S.")
  private Duration startupTimeout = EmbeddedKafkaBroker.DEFAULT_STARTUP_TIMEOUT;

  /** HALT_JVM in its own JVM (main); tests running call() in-process keep theirs. */
  private FatalFaultPolicy fatalFaultPolicy = FatalFaultPolicy.KEEP_JVM;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean callStarted;

  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", LOG_CONFIG);
    }
    KafkaBrokerMain main = new KafkaBrokerMain();
    main.fatalFaultPolicy = FatalFaultPolicy.HALT_JVM;
    Runtime.getRuntime()
        .addShutdownHook(new Thread(main::stopAndWait, "kafka-broker-main-shutdown"));
    int code = new CommandLine(main).execute(args);
    if (main.stopRequested.getCount() > 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    callStarted = true;
    try {
      return runUntilStopped(spec.commandLine().getOut());
    } finally {
      stopped.countDown();
    }
  }

  private int runUntilStopped(PrintWriter out) throws InterruptedException {
    EmbeddedKafkaBroker.Builder builder =
        EmbeddedKafkaBroker.builder()
            .brokerProperties(brokerProperties)
            .startupTimeout(startupTimeout)
            .fatalFaultPolicy(fatalFaultPolicy);
    if (port != null) {
      builder.port(port);
    }
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    EmbeddedKafkaBroker broker;
    try {
      broker = builder.build();
    } catch (BrokerConfigException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (EmbeddedKafkaBroker running = broker.start()) {
      out.println("bootstrap.servers=" + running.bootstrapServers());
      out.println(
          "Kafka broker ready in "
              + running.startupTime().toMillis()
              + " ms, data dir "
              + running.dataDir()
              + "; stop with Ctrl-C");
      out.flush();
      stopRequested.await();
    }
    return 0;
  }

  /** Asks a running {@link #call()} to stop the broker and return. */
  void requestStop() {
    stopRequested.countDown();
  }

  private void stopAndWait() {
    requestStop();
    if (!callStarted) {
      return;
    }
    try {
      if (!stopped.await(60, TimeUnit.SECONDS)) {
        System.err.println("Kafka broker did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
