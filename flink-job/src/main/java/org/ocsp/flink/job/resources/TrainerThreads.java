package org.ocsp.flink.job.resources;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.ocsp.modelops.engine.OpenMpThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CPU trainer's share of its TaskManager's cores: cores / slots OpenMP threads on the task thread
 * (every slot may run a trainer, each with its own OpenMP team). The cores are what the JVM sees,
 * which inside a container is the CPU limit, not the node's core count. Deployments also set
 * {@code OMP_WAIT_POLICY=passive} (it must be in the environment before the native library loads):
 * between batches the trainer's idle OpenMP workers then sleep instead of spinning on cores that
 * the TaskManager's Kafka, Flink and RocksDB threads need.
 */
public final class TrainerThreads {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerThreads.class);

    private TrainerThreads() {
    }

    /** Applies the share to the calling (task) thread; returns it. */
    public static int limit(RuntimeContext ctx) {
        int slots = slots(ctx);
        int cpus = Runtime.getRuntime().availableProcessors();
        int threads = OpenMpThreads.budget(cpus, slots);
        OpenMpThreads.limitCallingThread(threads);
        LOG.info("trainer threads: {} ({} cores for {} slot(s) of this TaskManager), OMP_WAIT_POLICY={}", threads, cpus,
                slots, System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset (libgomp spins, then sleeps)"));
        return threads;
    }

    public static int slots(RuntimeContext ctx) {
        if (ctx instanceof StreamingRuntimeContext s) {
            Configuration conf = s.getTaskManagerRuntimeInfo().getConfiguration();
            return conf.get(TaskManagerOptions.NUM_TASK_SLOTS);
        }
        return 1;
    }
}
