package org.ocsp.flink.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.ocsp.flink.job.JobSettingDef;
import org.ocsp.flink.job.RecordLimits;
import org.ocsp.flink.job.TrainerJob;
import org.ocsp.flink.topics.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code job}: the streaming trainer itself (locally, or as the main class of an application-mode cluster). */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Run the streaming trainer job (application mode on a cluster, a local mini-cluster otherwise).",
        modelTransformer = JobCommand.Settings.class)
public final class JobCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--checkpoint-dir", description = "Durable checkpoint directory URI (file:///..., s3://...).")
    String checkpointDir;

    @Option(names = "--restore-from", description = "Restore from this retained checkpoint or savepoint.")
    String restoreFrom;


    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Create missing topics (default: ${DEFAULT-VALUE}).")
    boolean createTopics = true;

    /** Every job setting as an option (picocli calls it once the annotations are read). */
    public static final class Settings implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            return JobOptions.declare(command, JobSettingDef.ALL, Map.of());
        }
    }

    TrainerJob job() {
        TrainerJob.Builder b = TrainerJob.builder().setKafka(kafka.connection()).optTopics(kafka.topics())
                .optModelDir(JobOptions.value(spec, JobSettingDef.MODEL_DIR))
                .optCheckpointInterval(Duration.ofMillis(JobOptions.value(spec, JobSettingDef.CHECKPOINT_INTERVAL_MS)))
                .optParallelism(JobOptions.value(spec, JobSettingDef.PARALLELISM))
                .optGroupId(JobOptions.value(spec, JobSettingDef.GROUP_ID))
                .optTransactionalIdPrefix(JobOptions.value(spec, JobSettingDef.TRANSACTIONAL_ID_PREFIX))
                .optWaitingBatchMemory(JobOptions.value(spec, JobSettingDef.WAITING_BATCH_MEMORY_MB) << 20)
                .optRunMemory(JobOptions.value(spec, JobSettingDef.RUN_MEMORY_MB) << 20)
                .optDecisionWaitLimit(Duration.ofMillis(JobOptions.value(spec, JobSettingDef.DECISION_WAIT_LIMIT_MS)))
                .optMaxActiveRuns(JobOptions.value(spec, JobSettingDef.MAX_ACTIVE_RUNS))
                .optRecordLimits(new RecordLimits(JobOptions.value(spec, JobSettingDef.MAX_BATCH_RECORD_BYTES),
                        JobOptions.value(spec, JobSettingDef.MAX_EVENT_RECORD_BYTES),
                        JobOptions.value(spec, JobSettingDef.DEAD_LETTER_PAYLOAD_BYTES)));
        String signingKey = JobOptions.value(spec, JobSettingDef.SIGNING_KEY_FILE);
        if (signingKey != null) {
            b.optSigningKeyFile(signingKey);
        }
        if (checkpointDir != null) {
            b.optCheckpointDir(checkpointDir);
        }
        if (restoreFrom != null) {
            b.optRestoreFrom(restoreFrom);
        }
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        TrainerJob job = job();
        if (createTopics) {
            TopicAdmin.createAll(kafka.connection(), job.topics());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
        job.addTo(env);
        env.execute(TrainerJob.NAME);
        return 0;
    }
}
