package org.ocsp.flink.topics;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * How every component reaches Kafka: the bootstrap servers and the standard Kafka client
 * properties of one file ({@code --command-config FILE}, as Kafka's own tools take it; the job's
 * {@code kafka-client-config-file} setting). Security lives there: {@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location}, ... Secrets
 * need not be in the file either: Kafka's config providers resolve {@code ${file:PATH:KEY}} and
 * {@code ${env:NAME}} in the client itself (with {@code config.providers=file,env} and their
 * classes), so a Kubernetes Secret mounted as a file or an environment variable never appears in
 * a command line, in Flink's web UI or in the job graph.
 *
 * <p>The properties that make the job's exactly-once guarantees and its identities
 * ({@link #FIXED}) cannot be set in the file: each component sets its own.
 *
 * <pre>{@code
 * KafkaConnection k = KafkaConnection.of("broker:9093", Optional.of(Path.of("/etc/ocsp/client.properties")));
 * Properties p = k.properties();        // bootstrap.servers and the file's settings
 * }</pre>
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientSettings) implements Serializable {
    /** The help text of every command's {@code --command-config} option. */
    public static final String COMMAND_CONFIG_DOC = "Kafka client properties (security.protocol, sasl.*, ssl.*, ...), as "
            + "Kafka's own tools take them. Secrets may stay out of the file: ${file:PATH:KEY} and ${env:NAME} are "
            + "resolved by Kafka's config providers.";

    /** Set by each component itself: the file may not change them. */
    public static final Set<String> FIXED = Set.of("bootstrap.servers", "group.id", "transactional.id",
            "isolation.level", "enable.idempotence", "enable.auto.commit", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer");

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        clientSettings = Map.copyOf(clientSettings);
        List<String> fixed = clientSettings.keySet().stream().filter(FIXED::contains).sorted().toList();
        if (!fixed.isEmpty()) {
            throw new IllegalArgumentException("Invalid Kafka client settings " + fixed + ": the components set these "
                    + "themselves (bootstrap servers with --bootstrap-servers; group and transactional ids, isolation "
                    + "and idempotence make the job's exactly-once log)");
        }
    }

    /** Plain client settings: only the bootstrap servers. */
    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** The bootstrap servers and, if given, the client properties of a Kafka client config file. */
    public static KafkaConnection of(String bootstrapServers, Optional<Path> clientConfigFile) {
        if (clientConfigFile.isEmpty()) {
            return of(bootstrapServers);
        }
        Path file = clientConfigFile.get();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the Kafka client config file " + file + ": " + e.getMessage(),
                    e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k).trim()));
        return new KafkaConnection(bootstrapServers, settings);
    }

    /** A new properties object with the bootstrap servers and the client settings, for one client. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** The servers and the names of the settings, never their values (they may be secrets). */
    @Override
    public String toString() {
        return bootstrapServers + (clientSettings.isEmpty() ? "" : " with client settings "
                + new TreeMap<>(clientSettings).keySet());
    }
}
