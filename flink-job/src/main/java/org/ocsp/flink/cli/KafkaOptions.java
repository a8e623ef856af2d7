package org.ocsp.flink.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.Topics;
import picocli.CommandLine.Option;

/** Where the broker and the topics are. */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--topic-prefix", description = "Prefix of the three topic names (default: ${DEFAULT-VALUE}).")
    String topicPrefix = Topics.DEFAULT_PREFIX;

    @Option(names = "--command-config", paramLabel = "FILE", description = KafkaConnection.COMMAND_CONFIG_DOC)
    Path commandConfig;

    /** The servers and the client settings, for every client a command makes. */
    KafkaConnection connection() {
        return KafkaConnection.of(bootstrapServers, Optional.ofNullable(commandConfig));
    }

    Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }
}
