package org.ocsp.flink.topics;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * THE definition of the four topics the system uses: names, partition counts and configs. The
 * topic tooling ({@link TopicAdmin}), the job, the publisher and the Kubernetes manifests all read
 * it from here.
 *
 * <pre>{@code
 * Topics topics = Topics.defaults();  // ocsp.batches, ocsp.run-requests, ocsp.events, ocsp.dead-letters
 * Topics test = Topics.withPrefix("it-42.");          // it-42.ocsp.batches, ...
 * TopicAdmin.createAll(bootstrapServers, topics);
 * }</pre>
 *
 * <ul>
 *   <li>batches: ONE partition. Epoch boundaries are part of the data (batches of epoch e, then
 *       the EpochEnd marker), and only a single partition keeps that order for every reader;
 *       with several partitions a marker could overtake batches of its own epoch. Bounded
 *       retention (7 days): batches can be re-published from the dataset.</li>
 *   <li>run requests: what operators ask of the job (RunStarted, RunStopRequested), and all they
 *       may write. The job admits each request into the events topic ({@code RunRequestGate}), so
 *       the job's principal is the events topic's only writer. Kept forever: what was asked is part
 *       of the audit trail, even when the job refused it.</li>
 *   <li>events: the run log and the single source of truth. {@code cleanup.policy=delete} with
 *       unlimited time and size retention: never compacted (compaction would keep only the last
 *       event per run id), never expired. Keyed by run id, so one run's events stay in order.</li>
 *   <li>dead letters: input that could not be used, with the reason and the raw bytes;
 *       unlimited retention so nothing bad is silently lost.</li>
 * </ul>
 */
public final class Topics {
    public static final String DEFAULT_PREFIX = "ocsp.";
    public static final String BATCHES = "batches";
    public static final String RUN_REQUESTS = "run-requests";
    public static final String EVENTS = "events";
    public static final String DEAD_LETTERS = "dead-letters";

    /** 7 days: batches are reproducible from the dataset, so they need not live forever. */
    public static final long BATCHES_RETENTION_MS = 7L * 24 * 3600 * 1000;
    /** Large enough for a batch of 256 ImageNet-size images, with room to spare. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final TopicSpec batches;
    private final TopicSpec runRequests;
    private final TopicSpec events;
    private final TopicSpec deadLetters;

    private Topics(TopicSpec batches, TopicSpec runRequests, TopicSpec events, TopicSpec deadLetters) {
        this.batches = Objects.requireNonNull(batches, "batches");
        this.runRequests = Objects.requireNonNull(runRequests, "runRequests");
        this.events = Objects.requireNonNull(events, "events");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** The default topics with another name prefix (tests, several installations on one cluster). */
    public static Topics withPrefix(String prefix) {
        return new Topics(
                new TopicSpec(prefix + BATCHES, 1, (short) 1, Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", Long.toString(BATCHES_RETENTION_MS),
                        "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES))),
                new TopicSpec(prefix + RUN_REQUESTS, 1, (short) 1, Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", "-1",
                        "retention.bytes", "-1")),
                new TopicSpec(prefix + EVENTS, 1, (short) 1, Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", "-1",
                        "retention.bytes", "-1")),
                new TopicSpec(prefix + DEAD_LETTERS, 1, (short) 1, Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", "-1",
                        "retention.bytes", "-1",
                        "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES))));
    }

    /** The same topics with another replication factor (3 on a real cluster). */
    public Topics withReplicationFactor(short factor) {
        return new Topics(batches.withReplicationFactor(factor), runRequests.withReplicationFactor(factor),
                events.withReplicationFactor(factor),
                deadLetters.withReplicationFactor(factor));
    }

    public TopicSpec batches() {
        return batches;
    }

    /** Where operators write RunStarted and RunStopRequested; ONE partition, so requests keep their order. */
    public TopicSpec runRequests() {
        return runRequests;
    }

    public TopicSpec events() {
        return events;
    }

    public TopicSpec deadLetters() {
        return deadLetters;
    }

    /** All four, in a fixed order: batches, run requests, events, dead letters. */
    public List<TopicSpec> all() {
        return List.of(batches, runRequests, events, deadLetters);
    }

    @Override
    public String toString() {
        return "Topics" + all();
    }
}
