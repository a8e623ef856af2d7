package org.ocsp.flink.audit;

import java.nio.file.Path;
import java.time.Duration;
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

        @Option(names = "--from", paramLabel = "FILE", description = "Read the events from an archive written by 'audit export' instead of Kafka.")
        Path archive;
    }

    static final class Kafka {
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port[,...].")
        String bootstrapServers;

        @Option(names = "--topic-prefix", description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
        String topicPrefix = Topics.DEFAULT_PREFIX;

        @Option(names = "--timeout", description = "How long to wait for the broker, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration timeout = Duration.ofSeconds(60);
    }

    /** The chosen source. */
    public EventSource eventSource() {
        if (source.archive != null) {
            return EventArchive.reader(source.archive);
        }
        return KafkaEventSource.builder().setBootstrapServers(source.kafka.bootstrapServers)
                .setTopic(Topics.withPrefix(source.kafka.topicPrefix).events().name()).optTimeout(source.kafka.timeout).build();
    }
}
