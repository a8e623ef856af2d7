package org.ocsp.flink.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.ocsp.flink.job.TrainerJob;
import org.ocsp.flink.topics.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code job}: the streaming trainer itself (locally, or as the main class of an application-mode cluster). */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Run the streaming trainer job (application mode on a cluster, a local mini-cluster otherwise).")
public final class JobCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--model-dir", description = "Where finished models are written (default: ${DEFAULT-VALUE}).")
    String modelDir = "runs/models";

    @Option(names = "--checkpoint-interval-ms", description = "Checkpoint interval; decisions wait about one "
            + "(default: ${DEFAULT-VALUE}).")
    long checkpointIntervalMs = 5000;

    @Option(names = "--checkpoint-dir", description = "Durable checkpoint directory URI (file:///..., s3://...).")
    String checkpointDir;

    @Option(names = "--restore-from", description = "Restore from this retained checkpoint or savepoint.")
    String restoreFrom;

    @Option(names = "--parallelism", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 1;

    @Option(names = "--group-id", description = "Consumer group id prefix (default: ${DEFAULT-VALUE}).")
    String groupId = "ocsp-trainer";

    @Option(names = "--transactional-id-prefix", description = "Unique per job (default: ${DEFAULT-VALUE}).")
    String transactionalIdPrefix = "ocsp-trainer";

    @Option(names = "--waiting-batch-memory-mb", description = "Memory per trainer task for batches waiting for their "
            + "epoch's decision; beyond it they are re-read from Kafka, and at most a quarter of a slot's heap is used "
            + "(default: ${DEFAULT-VALUE}).")
    long waitingBatchMemoryMb = TrainerJob.DEFAULT_WAITING_BATCH_BYTES >> 20;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Create missing topics (default: ${DEFAULT-VALUE}).")
    boolean createTopics = true;

    TrainerJob job() {
        TrainerJob.Builder b = TrainerJob.builder().setBootstrapServers(kafka.bootstrapServers).optTopics(kafka.topics())
                .optModelDir(modelDir).optCheckpointInterval(Duration.ofMillis(checkpointIntervalMs))
                .optParallelism(parallelism).optGroupId(groupId).optTransactionalIdPrefix(transactionalIdPrefix)
                .optWaitingBatchMemory(waitingBatchMemoryMb << 20);
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
            TopicAdmin.createAll(kafka.bootstrapServers, job.topics());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
        job.addTo(env);
        env.execute(TrainerJob.NAME);
        return 0;
    }
}
