package org.ocsp.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the broker's properties file and formats its KRaft storage (without System.exit). */
final class KraftStorage {
  private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);

  private KraftStorage() {}

  /** Writes {@code properties} to {@code dataDir/server.properties}, sorted, and returns the file. */
  static Path writeProperties(Path dataDir, SortedMap<String, String> properties) {
    StringBuilder text =
        new StringBuilder("# Written by org.ocsp.deploy.EmbeddedKafkaBroker at each start.\n");
    for (Map.Entry<String, String> e : properties.entrySet()) {
      text.append(e.getKey()).append('=').append(e.getValue().replace("\\", "\\\\")).append('\n');
    }
    Path file = dataDir.resolve(BrokerProperties.PROPERTIES_FILE_NAME);
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write Kafka broker properties to " + file, e);
    }
    return file;
  }

  /**
   * Formats {@code logDir}, the log directory named in {@code propertiesFile}, with a new cluster
   * id, unless it is formatted already (then its cluster id and data are kept).
   */
  static void format(Path propertiesFile, Path logDir) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] args = {
      "format",
      "--config",
      propertiesFile.toString(),
      "--cluster-id",
      existingClusterId(logDir).orElseGet(() -> Uuid.randomUuid().toString()),
      "--ignore-formatted"
    };
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(args, out);
    } catch (RuntimeException e) {
      throw new EmbeddedKafkaException(
          "Formatting Kafka storage with "
              + propertiesFile
              + " failed: "
              + e.getMessage()
              + printed(output),
          e);
    }
    if (code != 0) {
      throw new EmbeddedKafkaException(
          "Formatting Kafka storage with "
              + propertiesFile
              + " failed with code "
              + code
              + printed(output));
    }
    LOG.debug("Kafka storage format: {}", output.toString(StandardCharsets.UTF_8).trim());
  }

  /**
   * The cluster id of an already formatted log dir: the storage tool checks it even with
   * --ignore-formatted.
   */
  private static Optional<String> existingClusterId(Path logDir) {
    Path meta = logDir.resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + meta, e);
    }
    return Optional.ofNullable(p.getProperty("cluster.id"));
  }

  static Properties toProperties(Map<String, String> map) {
    Properties p = new Properties();
    p.putAll(map);
    return p;
  }

  private static String printed(ByteArrayOutputStream output) {
    String text = output.toString(StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? "" : " (storage tool said: " + text + ")";
  }
}
