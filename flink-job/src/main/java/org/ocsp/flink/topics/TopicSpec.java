package org.ocsp.flink.topics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One Kafka topic as our tooling creates it: name, partitions, replication factor and explicit
 * topic configs (sorted, so listings and manifests compare deterministically).
 *
 * <pre>{@code
 * TopicSpec events = Topics.defaults().events();
 * events.config("cleanup.policy");   // "delete"
 * }</pre>
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("Invalid value '" + name + "' for topic name: use 1-249 characters of "
                    + "[a-zA-Z0-9._-]");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Invalid value " + partitions + " for partitions of topic " + name
                    + ": must be >= 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("Invalid value " + replicationFactor + " for replication factor of topic "
                    + name + ": must be >= 1");
        }
        configs = Collections.unmodifiableSortedMap(new TreeMap<>(configs));
    }

    /** The value of one explicit topic config. */
    public String config(String key) {
        String v = configs.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Topic " + name + " sets no config '" + key + "'; it sets " + configs.keySet());
        }
        return v;
    }

    public TopicSpec withReplicationFactor(short factor) {
        return new TopicSpec(name, partitions, factor, configs);
    }
}
