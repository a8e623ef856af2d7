package org.ocsp.flink.cli;

import org.ocsp.flink.topics.Topics;
import picocli.CommandLine.Option;

/** Where the broker and the topics are. */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--topic-prefix", description = "Prefix of the three topic names (default: ${DEFAULT-VALUE}).")
    String topicPrefix = Topics.DEFAULT_PREFIX;

    Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }
}
