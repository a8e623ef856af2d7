package org.ocsp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocsp.deploy.KafkaTestClients.TIMEOUT;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** KafkaBrokerMain runs a broker until asked to stop, printing its bootstrap address. */
class KafkaBrokerMainITCase {

  @TempDir Path tmp;

  @Test
  void printsTheBootstrapAddressAndRunsUntilStopped() throws Exception {
    Path dataDir = tmp.resolve("kafka");
    KafkaBrokerMain main = new KafkaBrokerMain();
    PipedReader pipe = new PipedReader(64 * 1024);
    CommandLine cmd = new CommandLine(main);
    cmd.setOut(new PrintWriter(new PipedWriter(pipe), true));
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exitCode =
          runner.submit(
              () -> cmd.execute("--data-dir", dataDir.toString(), "-D", "log.retention.hours=12"));
      BufferedReader lines = new BufferedReader(pipe);
      String first =
          CompletableFuture.supplyAsync(() -> readLine(lines))
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertTrue(first.startsWith("bootstrap.servers=127.0.0.1:"), first);
      String bootstrap = first.substring("bootstrap.servers=".length());

      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (Admin admin = Admin.create(p)) {
        List<Integer> nodes =
            admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                .map(Node::id)
                .toList();
        assertEquals(List.of(BrokerProperties.NODE_ID), nodes);
      }

      main.requestStop();
      assertEquals(0, exitCode.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      Loopback.checkFree(Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1)));
      assertTrue(
          Files.readString(dataDir.resolve("server.properties")).contains("log.retention.hours=12"));
    } finally {
      main.requestStop();
      runner.shutdown();
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
