package org.ocsp.flink.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the {@link Topics} with an AdminClient; existing topics are checked, not changed.
 *
 * <pre>{@code
 * List<String> created = TopicAdmin.createAll("localhost:9092", Topics.defaults());
 * }</pre>
 */
public final class TopicAdmin {
    private static final long TIMEOUT_SECONDS = 60;

    private TopicAdmin() {
    }

    /**
     * Creates every topic that does not exist yet and returns the names it created.
     *
     * @throws IllegalStateException if an existing topic has other partitions or configs than the definition
     */
    public static List<String> createAll(KafkaConnection kafka, Topics topics) {
        try (Admin admin = Admin.create(kafka.properties())) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            for (TopicSpec spec : topics.all()) {
                if (existing.contains(spec.name())) {
                    check(admin, spec);
                    continue;
                }
                NewTopic t = new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs());
                try {
                    admin.createTopics(List.of(t)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(spec.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + spec.name() + ": " + e.getCause(), e);
                    }
                    check(admin, spec);
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics " + topics + " on " + kafka + ": " + e, e);
        }
    }

    private static void check(Admin admin, TopicSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        int partitions = admin.describeTopics(List.of(spec.name())).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(spec.name()).partitions().size();
        List<String> problems = new ArrayList<>();
        if (partitions != spec.partitions()) {
            problems.add("partitions " + partitions + ", expected " + spec.partitions());
        }
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config actual = admin.describeConfigs(List.of(r)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(r);
        for (Map.Entry<String, String> e : spec.configs().entrySet()) {
            ConfigEntry entry = actual.get(e.getKey());
            String value = entry == null ? null : entry.value();
            if (!e.getValue().equals(value)) {
                problems.add(e.getKey() + "=" + value + ", expected " + e.getValue());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Topic " + spec.name() + " exists with other settings: "
                    + String.join("; ", problems) + ". Fix or delete it; the definition is " + spec);
        }
    }
}
