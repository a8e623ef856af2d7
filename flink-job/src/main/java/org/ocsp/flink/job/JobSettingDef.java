package org.ocsp.flink.job;

import org.ocsp.flink.job.deadletter.DeadLetters;
import org.ocsp.flink.topics.Topics;
import java.util.List;
import java.util.Optional;
import org.ocsp.modelops.setting.Setting;
import org.ocsp.modelops.setting.Validator;

/**
 * Every setting of the trainer job, declared once: name (the command-line flag without
 * {@code --}), type, default, validator and documentation. {@link TrainerJob.Builder} takes its
 * defaults and checks from here; {@code ocsp job} (also the application-mode entry point),
 * {@code ocsp demo} and {@code ocsp bench streaming} generate their options from it; the k8s
 * manifests are checked against the parsed options.
 */
public final class JobSettingDef {
    public static final Setting<Long> CHECKPOINT_INTERVAL_MS = Setting.ofLong("checkpoint-interval-ms").optDefault(5000L)
            .optValidator(Validator.atLeast(100))
            .setDoc("Checkpoint interval in ms; decisions become visible only when a checkpoint completes, so an epoch "
                    + "boundary waits about one").build();

    public static final Setting<String> MODEL_DIR = Setting.ofString("model-dir").optDefault("runs/models")
            .optValidator(d -> d.isBlank() ? Optional.of("must name a directory") : Optional.empty())
            .setDoc("Where finished models are written").build();

    public static final Setting<Integer> PARALLELISM = Setting.ofInt("parallelism").optDefault(1)
            .optValidator(Validator.atLeast(1)).setDoc("Job parallelism").build();

    public static final Setting<String> GROUP_ID = Setting.ofString("group-id").optDefault("ocsp-trainer")
            .optValidator(g -> g.isBlank() ? Optional.of("must not be blank") : Optional.empty())
            .setDoc("Consumer group id prefix").build();

    public static final Setting<String> TRANSACTIONAL_ID_PREFIX = Setting.ofString("transactional-id-prefix")
            .optDefault("ocsp-trainer")
            .optValidator(g -> g.isBlank() ? Optional.of("must not be blank") : Optional.empty())
            .setDoc("Transactional id prefix of the exactly-once sink; unique per job on a cluster").build();

    public static final Setting<Long> WAITING_BATCH_MEMORY_MB = Setting.ofLong("waiting-batch-memory-mb").optDefault(256L)
            .optValidator(Validator.atLeast(0))
            .setDoc("Memory per trainer task for batches waiting for their epoch's decision; beyond it they are re-read "
                    + "from Kafka, and at most a quarter of a slot's heap is used").build();

    public static final Setting<Long> RUN_MEMORY_MB = Setting.ofLong("run-memory-mb").optDefault(4096L)
            .optValidator(Validator.atLeast(1))
            .setDoc("Memory one run may need to train, estimated from its spec before anything is allocated (parameters, "
                    + "gradients, momentum, one batch's activations); a RunStarted that needs more is refused").build();

    public static final Setting<Long> DECISION_WAIT_LIMIT_MS = Setting.ofLong("decision-wait-limit-ms")
            .optDefault(1_800_000L).optValidator(Validator.atLeast(1000))
            .setDoc("How long a run may wait for its next epoch's decision (normally about one checkpoint interval) "
                    + "before it ends as FAILED: its MaskSnapshot was lost, or the stability operator could not make it")
            .build();

    public static final Setting<Integer> MAX_ACTIVE_RUNS = Setting.ofInt("max-active-runs").optDefault(32)
            .optValidator(Validator.atLeast(1))
            .setDoc("Runs the job trains at once; a RunStarted beyond it is refused with a RunRejected event naming the "
                    + "limit (runs that ended do not count)").build();

    public static final Setting<Long> MAX_BATCH_RECORD_BYTES = Setting.ofLong("max-batch-record-bytes")
            .optDefault((long) Topics.MAX_MESSAGE_BYTES).optValidator(v -> bytesIn(v, 1024, Topics.MAX_MESSAGE_BYTES))
            .setDoc("Largest batches-topic record the job decodes; a larger one is a dead letter (metric recordsOverLimit)")
            .build();

    public static final Setting<Long> MAX_EVENT_RECORD_BYTES = Setting.ofLong("max-event-record-bytes")
            .optDefault(4L << 20).optValidator(v -> bytesIn(v, 1024, Topics.MAX_MESSAGE_BYTES))
            .setDoc("Largest events-topic record the job decodes (a RunStarted, a request, a decision); a larger one is a "
                    + "dead letter (metric recordsOverLimit)").build();

    public static final Setting<Long> DEAD_LETTER_PAYLOAD_BYTES = Setting.ofLong("dead-letter-payload-bytes")
            .optDefault((long) DeadLetters.PAYLOAD_PREFIX_BYTES).optValidator(v -> bytesIn(v, 0, 1 << 20))
            .setDoc("How much of a rejected record a dead letter keeps (the rest is named by its size and SHA-256)")
            .build();

    public static final Setting<String> SIGNING_KEY_FILE = Setting.ofString("signing-key-file")
            .optValidator(f -> f.isBlank() ? Optional.of("must name a file") : Optional.empty())
            .setDoc("Ed25519 private key (PKCS#8 PEM, e.g. a mounted Kubernetes Secret) the job signs every event it "
                    + "writes with; read on the task managers, never logged. Unset: events are hash-chained but unsigned")
            .build();

    public static final List<Setting<?>> ALL = List.of(CHECKPOINT_INTERVAL_MS, MODEL_DIR, PARALLELISM, GROUP_ID,
            TRANSACTIONAL_ID_PREFIX, WAITING_BATCH_MEMORY_MB, RUN_MEMORY_MB, DECISION_WAIT_LIMIT_MS, MAX_ACTIVE_RUNS, MAX_BATCH_RECORD_BYTES,
            MAX_EVENT_RECORD_BYTES, DEAD_LETTER_PAYLOAD_BYTES, SIGNING_KEY_FILE);

    private JobSettingDef() {
    }

    private static Optional<String> bytesIn(long v, long min, long max) {
        return v < min || v > max ? Optional.of("must be from " + min + " to " + max + " bytes") : Optional.empty();
    }
}
