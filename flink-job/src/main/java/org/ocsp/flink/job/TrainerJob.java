package org.ocsp.flink.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.job.kafka.KafkaBatchReader;
import org.ocsp.flink.job.kafka.OutRecordSerializer;
import org.ocsp.flink.job.kafka.RawDeserializer;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.TopicSpec;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.setting.Setting;

/**
 * The streaming trainer's topology:
 * batches -> decode -> fan-out to every active run -> keyBy(run) -> Trainer -> keyBy(run) ->
 * StabilityOperator -> exactly-once Kafka sink (events + dead letters); the event log is read
 * back (read_committed) for RunStarted (fan-out, trainer) and the decisions (trainer). Operators'
 * requests arrive on their own topic: run-requests -> RunRequestGate -> a second exactly-once sink
 * into the events topic, so the job is the only writer of the log (the ACLs can say so).
 *
 * <pre>{@code
 * TrainerJob job = TrainerJob.builder()
 *         .setBootstrapServers("localhost:9092")
 *         .optTopics(Topics.defaults())
 *         .optCheckpointInterval(Duration.ofSeconds(2))
 *         .build();
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
 * job.addTo(env);
 * env.execute("ocsp-trainer");
 * }</pre>
 */
public final class TrainerJob {
    public static final String NAME = "ocsp-streaming-trainer";
    /**
     * The exactly-once sink's transaction timeout: the broker's default maximum (15 min; the
     * connector's default of 1 h would be refused, stack.md trap 1). A transaction is open from one
     * checkpoint until the next completes, so it must outlast the checkpoint interval plus the
     * checkpoint timeout: otherwise a slow checkpoint lets the broker abort a pre-committed
     * transaction, and the decision in it is lost. {@link Builder#build()} checks it.
     */
    public static final String TRANSACTION_TIMEOUT_MS = "900000";
    /** How long a checkpoint may take before it is declared failed. */
    public static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(10);

    private final KafkaConnection kafka;
    private final Topics topics;
    private final String modelDir;
    private final Duration checkpointInterval;
    private final Optional<String> checkpointDir;
    private final Optional<String> restoreFrom;
    private final String groupId;
    private final String transactionalIdPrefix;
    private final int parallelism;
    private final long waitingBatchBytes;
    private final long runMemoryBytes;
    private final Optional<String> signingKeyFile;
    private final Duration decisionWaitLimit;
    private final int maxActiveRuns;
    private final RecordLimits limits;

    private TrainerJob(Builder b) {
        this.kafka = new KafkaConnection(b.bootstrapServers, b.clientSettings);
        this.topics = b.topics;
        this.modelDir = b.modelDir;
        this.checkpointInterval = b.checkpointInterval;
        this.checkpointDir = b.checkpointDir;
        this.restoreFrom = b.restoreFrom;
        this.groupId = b.groupId;
        this.transactionalIdPrefix = b.transactionalIdPrefix;
        this.parallelism = b.parallelism;
        this.waitingBatchBytes = b.waitingBatchBytes;
        this.runMemoryBytes = b.runMemoryBytes;
        this.signingKeyFile = b.signingKeyFile;
        this.decisionWaitLimit = b.decisionWaitLimit;
        this.maxActiveRuns = b.maxActiveRuns;
        this.limits = b.limits;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Topics topics() {
        return topics;
    }

    /** RocksDB with incremental checkpoints, exactly-once checkpointing, retained on cancel (stack.md trap 7). */
    public Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, CHECKPOINT_TIMEOUT);
        checkpointDir.ifPresent(d -> {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, d);
        });
        restoreFrom.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p));
        RestartPolicy.applyTo(conf);
        return conf;
    }

    private KafkaSource<RawRecord> source(TopicSpec topic, String group) {
        KafkaSourceBuilder<RawRecord> source = KafkaSource.<RawRecord>builder();
        kafka.clientSettings().forEach(source::setProperty); // first: the job's own settings below win
        return source
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic.name())
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawDeserializer())
                // The event log is written transactionally: never read aborted records (stack.md trap 2).
                .setProperty("isolation.level", "read_committed")
                .setProperty("max.partition.fetch.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES))
                .setProperty("fetch.max.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES))
                .build();
    }

    /** Adds the whole topology to the environment. */
    public void addTo(StreamExecutionEnvironment env) {
        env.setParallelism(parallelism);
        DeadLetters dl = new DeadLetters(topics.deadLetters().name(), Math.toIntExact(limits.deadLetterPayloadBytes()));

        SingleOutputStreamOperator<RunBatch> batches = env
                .fromSource(source(topics.batches(), groupId + "-batches"), WatermarkStrategy.noWatermarks(), "batches")
                .uid("batches-source").setParallelism(topics.batches().partitions())
                .process(new BatchDecoder(dl, limits.maxBatchRecordBytes())).uid("decode-batches").name("decode batches");

        // One partition, one gate, one sink writer: requests enter the log in the order they were made.
        int requestPartitions = topics.runRequests().partitions();
        SingleOutputStreamOperator<OutRecord> admitted = env
                .fromSource(source(topics.runRequests(), groupId + "-run-requests"), WatermarkStrategy.noWatermarks(),
                        "run requests")
                .uid("run-requests-source").setParallelism(requestPartitions)
                .process(new RunRequestGate(topics.events().name(), dl, limits.maxEventRecordBytes(),
                        signingKeyFile.orElse(null))).uid("admit-run-requests").name("admit run requests")
                .setParallelism(requestPartitions);
        admitted.union(admitted.getSideOutput(DeadLetters.TAG))
                .sinkTo(sink(transactionalIdPrefix + "-requests")).setParallelism(requestPartitions)
                .uid("run-requests-sink").name("admitted requests + dead letters (exactly-once)");

        SingleOutputStreamOperator<ControlEvent> control = env
                .fromSource(source(topics.events(), groupId + "-events"), WatermarkStrategy.noWatermarks(), "events")
                .uid("events-source")
                .process(new EventDecoder(dl, limits.maxEventRecordBytes(), signingKeyFile.orElse(null))).uid("decode-events").name("decode events");

        BroadcastStream<ControlEvent> runs = control.broadcast(RunFanOut.RUNS, RunFanOut.FINISHED, RunFanOut.REJECTED);
        SingleOutputStreamOperator<RunBatch> perRun = batches.connect(runs).process(new RunFanOut(dl, maxActiveRuns)).uid("fan-out")
                .name("fan-out to runs");

        SingleOutputStreamOperator<TrainerOutput> trained = perRun.keyBy(b -> b.runId, Types.STRING)
                .connect(control.keyBy(e -> e.runId, Types.STRING))
                .transform("trainer", TypeInformation.of(TrainerOutput.class), new TrainerOperator(new Trainer(dl, modelDir,
                        new KafkaBatchReader(kafka), waitingBatchBytes, runMemoryBytes,
                        decisionWaitLimit.toMillis())))
                .uid(Trainer.UID);

        SingleOutputStreamOperator<OutRecord> events = trained.keyBy(o -> o.runId, Types.STRING)
                .process(new StabilityOperator(topics.events().name(), signingKeyFile)).uid(StabilityOperator.UID).name("stability");

        events.union(batches.getSideOutput(DeadLetters.TAG), control.getSideOutput(DeadLetters.TAG),
                        perRun.getSideOutput(DeadLetters.TAG), trained.getSideOutput(DeadLetters.TAG))
                .sinkTo(sink(transactionalIdPrefix))
                .uid("events-sink").name("events + dead letters (exactly-once)");
    }

    /** An exactly-once sink of events and dead letters; each sink needs its own transactional id prefix. */
    private KafkaSink<OutRecord> sink(String transactionalIds) {
        KafkaSinkBuilder<OutRecord> sink = KafkaSink.<OutRecord>builder();
        kafka.clientSettings().forEach(sink::setProperty); // first: the job's own settings below win
        return sink
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new OutRecordSerializer())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIds)
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .setProperty("max.request.size", Integer.toString(Topics.MAX_MESSAGE_BYTES))
                .build();
    }

    /** Builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private String bootstrapServers;
        private java.util.Map<String, String> clientSettings = java.util.Map.of();
        private Topics topics = Topics.defaults();
        private String modelDir = JobSettingDef.MODEL_DIR.defaultValue().orElseThrow();
        private Duration checkpointInterval = Duration.ofMillis(JobSettingDef.CHECKPOINT_INTERVAL_MS.defaultValue().orElseThrow());
        private Optional<String> checkpointDir = Optional.empty();
        private Optional<String> restoreFrom = Optional.empty();
        private String groupId = JobSettingDef.GROUP_ID.defaultValue().orElseThrow();
        private String transactionalIdPrefix = JobSettingDef.TRANSACTIONAL_ID_PREFIX.defaultValue().orElseThrow();
        private int parallelism = JobSettingDef.PARALLELISM.defaultValue().orElseThrow();
        private long waitingBatchBytes = JobSettingDef.WAITING_BATCH_MEMORY_MB.defaultValue().orElseThrow() << 20;
        private long runMemoryBytes = JobSettingDef.RUN_MEMORY_MB.defaultValue().orElseThrow() << 20;
        private Optional<String> signingKeyFile = Optional.empty();
        private Duration decisionWaitLimit = Duration.ofMillis(JobSettingDef.DECISION_WAIT_LIMIT_MS.defaultValue().orElseThrow());
        private int maxActiveRuns = JobSettingDef.MAX_ACTIVE_RUNS.defaultValue().orElseThrow();
        private RecordLimits limits = RecordLimits.DEFAULTS;

        public Builder setBootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** The servers and the client settings of a Kafka client config file (security, ...). */
        public Builder setKafka(KafkaConnection kafka) {
            this.bootstrapServers = kafka.bootstrapServers();
            this.clientSettings = kafka.clientSettings();
            return this;
        }

        public Builder optTopics(Topics topics) {
            this.topics = topics;
            return this;
        }

        /** {@link JobSettingDef#MODEL_DIR}. */
        public Builder optModelDir(String dir) {
            this.modelDir = dir;
            return this;
        }

        /** {@link JobSettingDef#CHECKPOINT_INTERVAL_MS}: decision latency is about one interval. */
        public Builder optCheckpointInterval(Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        /** Durable checkpoint directory URI, e.g. {@code file:///var/ocsp/checkpoints} or {@code s3://...}. */
        public Builder optCheckpointDir(String uri) {
            this.checkpointDir = Optional.of(uri);
            return this;
        }

        /** Restore from this retained checkpoint or savepoint. */
        public Builder optRestoreFrom(String path) {
            this.restoreFrom = Optional.of(path);
            return this;
        }

        public Builder optGroupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** {@link JobSettingDef#TRANSACTIONAL_ID_PREFIX}: must be unique per job on a cluster. */
        public Builder optTransactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        public Builder optParallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /**
         * {@link JobSettingDef#WAITING_BATCH_MEMORY_MB}, in bytes: beyond it only the waiting batches'
         * topic addresses are kept, and they are read from Kafka again when due.
         */
        public Builder optWaitingBatchMemory(long bytes) {
            this.waitingBatchBytes = bytes;
            return this;
        }

        /** {@link JobSettingDef#RUN_MEMORY_MB}, in bytes. */
        public Builder optRunMemory(long bytes) {
            this.runMemoryBytes = bytes;
            return this;
        }

        /** {@link JobSettingDef#MAX_ACTIVE_RUNS}. */
        public Builder optMaxActiveRuns(int runs) {
            this.maxActiveRuns = runs;
            return this;
        }

        /** {@link JobSettingDef#DECISION_WAIT_LIMIT_MS}. */
        public Builder optDecisionWaitLimit(Duration limit) {
            this.decisionWaitLimit = limit;
            return this;
        }

        /** The record size limits (JobSettingDef's max-*-record-bytes and dead-letter-payload-bytes). */
        public Builder optRecordLimits(RecordLimits limits) {
            this.limits = limits;
            return this;
        }

        /** {@link JobSettingDef#SIGNING_KEY_FILE}: a path on the task managers. */
        public Builder optSigningKeyFile(String file) {
            this.signingKeyFile = Optional.of(file);
            return this;
        }

        private static <T> void check(List<String> problems, Setting<T> s, T value) {
            if (value == null) {
                problems.add("Missing configuration " + s);
            } else {
                s.problem(value).ifPresent(problems::add);
            }
        }

        public TrainerJob build() {
            List<String> p = new ArrayList<>();
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                p.add("Missing configuration bootstrapServers: setBootstrapServers(\"host:9092\") (CLI: --bootstrap-servers)");
            }
            if (topics == null) {
                p.add("Invalid value null for configuration topics: use Topics.defaults()");
            }
            check(p, JobSettingDef.CHECKPOINT_INTERVAL_MS, checkpointInterval == null ? null : checkpointInterval.toMillis());
            if (checkpointInterval != null && checkpointInterval.plus(CHECKPOINT_TIMEOUT).toMillis()
                    >= Long.parseLong(TRANSACTION_TIMEOUT_MS)) {
                p.add("Invalid value " + checkpointInterval.toMillis() + " for configuration " + JobSettingDef.CHECKPOINT_INTERVAL_MS
                        + ": the interval plus the checkpoint timeout (" + CHECKPOINT_TIMEOUT.toMinutes() + " min) must stay "
                        + "below the sink's transaction.timeout.ms (" + TRANSACTION_TIMEOUT_MS + " ms), or the broker aborts "
                        + "transactions that hold decisions");
            }
            check(p, JobSettingDef.PARALLELISM, parallelism);
            // Whole MiB as on the command line, rounded down, so that a negative budget is refused.
            check(p, JobSettingDef.WAITING_BATCH_MEMORY_MB, waitingBatchBytes >> 20);
            check(p, JobSettingDef.RUN_MEMORY_MB, runMemoryBytes >> 20);
            check(p, JobSettingDef.MAX_ACTIVE_RUNS, maxActiveRuns);
            p.addAll(limits.problems());
            check(p, JobSettingDef.DECISION_WAIT_LIMIT_MS, decisionWaitLimit == null ? null : decisionWaitLimit.toMillis());
            check(p, JobSettingDef.MODEL_DIR, modelDir);
            check(p, JobSettingDef.GROUP_ID, groupId);
            check(p, JobSettingDef.TRANSACTIONAL_ID_PREFIX, transactionalIdPrefix);
            signingKeyFile.ifPresent(f -> check(p, JobSettingDef.SIGNING_KEY_FILE, f));
            if (!p.isEmpty()) {
                throw new IllegalArgumentException("Cannot build TrainerJob:\n  " + String.join("\n  ", p));
            }
            return new TrainerJob(this);
        }
    }
}
