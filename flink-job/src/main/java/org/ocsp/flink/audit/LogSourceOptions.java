package org.ocsp.flink.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.Topics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where the audit commands read a run's events: the events topic (read_committed) or an archive
 * written by {@code audit export}. Exactly one of {@code --bootstrap-servers} and {@code --from}.
 */
public final class LogSourceOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        Kafka kafka;

        @Option(names = "--from", paramLabel = "FILE", description = "Read the events from archives written by 'audit export' "
                + "instead of Kafka (repeat for several files).")
        List<Path> archives;
    }

    static final class Kafka {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
                description = "Kafka bootstrap servers; the run is read from the events topic (read_committed).")
        String bootstrapServers;

        @Option(names = "--command-config", paramLabel = "FILE", description = KafkaConnection.COMMAND_CONFIG_DOC)
        Path commandConfig;

        @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
                description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
        String topicPrefix;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT60S",
                description = "How long to wait for the broker, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration timeout;
    }

    /** The chosen source. */
    public EventSource eventSource() {
        if (source.archives != null && !source.archives.isEmpty()) {
            return EventArchive.readers(source.archives);
        }
        return KafkaEventSource.builder()
                .setKafka(KafkaConnection.of(source.kafka.bootstrapServers, Optional.ofNullable(source.kafka.commandConfig)))
                .setTopic(Topics.withPrefix(source.kafka.topicPrefix).events().name()).optTimeout(source.kafka.timeout).build();
    }
}
