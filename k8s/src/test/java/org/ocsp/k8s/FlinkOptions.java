package org.ocsp.k8s;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys of the Flink version on the class path (the job's, 2.2.x), read from
 * Flink's own option classes, so a manifest cannot use a key Flink 2 dropped or renamed.
 *
 * <pre>{@code
 * FlinkOptions.lookup("state.backend.type");            // Known
 * FlinkOptions.lookup("state.checkpoints.dir");         // Deprecated: use execution.checkpointing.dir
 * }</pre>
 */
public final class FlinkOptions {
    /** Flink's option holders whose keys the manifests may use. */
    static final List<String> OPTION_CLASSES = List.of(
            "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.CheckpointingOptions",
            "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.StateRecoveryOptions",
            "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.TaskManagerOptions",
            "org.apache.flink.configuration.JobManagerOptions",
            "org.apache.flink.configuration.RestartStrategyOptions",
            "org.apache.flink.configuration.MetricOptions",
            "org.apache.flink.configuration.ExternalResourceOptions",
            "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.configuration.ExecutionOptions",
            "org.apache.flink.configuration.RestOptions",
            "org.apache.flink.configuration.ClusterOptions",
            "org.apache.flink.configuration.DeploymentOptions",
            "org.apache.flink.configuration.BlobServerOptions",
            "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
            "org.apache.flink.state.rocksdb.RocksDBOptions",
            "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions");

    /**
     * Keys that are not Flink core options but are read by a plugin or the operator, with the
     * reason. Anything else must be a current Flink option key.
     */
    static final Map<Pattern, String> OTHER_KEYS = Map.of(
            Pattern.compile("kubernetes\\.operator\\..+"), "Flink Kubernetes Operator setting",
            Pattern.compile("s3\\.(endpoint|path\\.style\\.access)"), "S3 file system plugin (flink-s3-fs-hadoop)",
            Pattern.compile("metrics\\.reporter\\.[a-z]+\\.(factory\\.class|port)"), "metric reporter (MetricOptions reporter keys)",
            Pattern.compile("external-resource\\.[a-z]+\\.(amount|driver-factory\\.class|kubernetes\\.config-key|param\\..+)"),
            "external resource (ExternalResourceOptions key templates)");

    private static final Map<String, Lookup> KEYS = load();

    /** What a key is to Flink. */
    public static final class Lookup {
        final String key;
        final Optional<String> replacedBy;

        private Lookup(String key, Optional<String> replacedBy) {
            this.key = key;
            this.replacedBy = replacedBy;
        }

        /** The current key when this one is a deprecated fallback. */
        public Optional<String> replacedBy() {
            return replacedBy;
        }
    }

    private FlinkOptions() {
    }

    /** The key's status, or empty when no Flink option has this key. */
    public static Optional<Lookup> lookup(String key) {
        return Optional.ofNullable(KEYS.get(key));
    }

    /** Why a non-core key is allowed, or empty. */
    public static Optional<String> otherKeyReason(String key) {
        return OTHER_KEYS.entrySet().stream().filter(e -> e.getKey().matcher(key).matches()).map(Map.Entry::getValue)
                .findFirst();
    }

    private static Map<String, Lookup> load() {
        Map<String, Lookup> keys = new TreeMap<>();
        for (String className : OPTION_CLASSES) {
            Class<?> c;
            try {
                c = Class.forName(className);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Flink option class " + className + " is not on the class path; "
                        + "update FlinkOptions.OPTION_CLASSES for this Flink version", e);
            }
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || !ConfigOption.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                ConfigOption<?> option;
                try {
                    option = (ConfigOption<?>) f.get(null);
                } catch (IllegalAccessException e) {
                    continue;
                }
                keys.put(option.key(), new Lookup(option.key(), Optional.empty()));
                for (FallbackKey fallback : option.fallbackKeys()) {
                    keys.putIfAbsent(fallback.getKey(), new Lookup(fallback.getKey(), Optional.of(option.key())));
                }
            }
        }
        return keys;
    }
}
