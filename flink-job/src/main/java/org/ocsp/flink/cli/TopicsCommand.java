package org.ocsp.flink.cli;

import java.util.concurrent.Callable;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.flink.topics.TopicSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topics}: create the batches, events and dead-letter topics (existing ones are checked). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the three topics with their explicit configs; existing topics are checked, not changed.")
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--replication-factor", description = "Replication factor (default: ${DEFAULT-VALUE}).")
    short replicationFactor = 1;

    @Override
    public Integer call() {
        var topics = kafka.topics().withReplicationFactor(replicationFactor);
        var created = TopicAdmin.createAll(kafka.connection(), topics);
        for (TopicSpec t : topics.all()) {
            System.out.printf("%-40s %s  partitions %d  %s%n", t.name(), created.contains(t.name()) ? "created" : "exists ",
                    t.partitions(), t.configs());
        }
        return 0;
    }
}
