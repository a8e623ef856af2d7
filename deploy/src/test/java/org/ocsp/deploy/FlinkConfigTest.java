package org.ocsp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

/** deploy/flink-conf/config.yaml, read by Flink 2.2's own loader and option declarations. */
class FlinkConfigTest {
  private static final Path CONF_DIR = Path.of("flink-conf");
  private static final List<Class<?>> OPTION_CLASSES =
      List.of(
          CoreOptions.class,
          JobManagerOptions.class,
          TaskManagerOptions.class,
          CheckpointingOptions.class,
          StateBackendOptions.class,
          RestOptions.class,
          RestartStrategyOptions.class);

  private static Configuration load() {
    assertTrue(
        Files.isRegularFile(CONF_DIR.resolve("config.yaml")),
        "run from the deploy module: " + CONF_DIR.toAbsolutePath());
    return GlobalConfiguration.loadConfiguration(CONF_DIR.toString());
  }

  @Test
  void stackSettingsHaveTheirTypedValues() {
    Configuration c = load();
    assertEquals("rocksdb", c.get(StateBackendOptions.STATE_BACKEND));
    assertEquals(true, c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
    assertEquals(Duration.ofSeconds(10), c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
    assertEquals(
        CheckpointingMode.EXACTLY_ONCE, c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE));
    assertEquals(
        "file:///tmp/ocsp-stream/checkpoints", c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    assertEquals(
        "file:///tmp/ocsp-stream/savepoints", c.get(CheckpointingOptions.SAVEPOINT_DIRECTORY));
    assertEquals(
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION,
        c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION));
    assertTrue(
        c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT).compareTo(Duration.ofMinutes(15)) < 0,
        "checkpoint timeout below the broker's transaction.max.timeout.ms");
    assertEquals(2, c.get(TaskManagerOptions.NUM_TASK_SLOTS));
    assertEquals(MemorySize.parse("4g"), c.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY));
    assertEquals(
        List.of("org.nd4j.", "org.bytedeco."),
        c.get(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL));
    String javaOpts = c.get(CoreOptions.FLINK_JVM_OPTIONS);
    for (String opt :
        List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED")) {
      assertTrue(javaOpts.contains(opt), opt);
    }
  }

  @Test
  void everyKeyIsACurrentFlinkOption() throws Exception {
    Map<String, String> current = new TreeMap<>();
    Map<String, String> deprecated = new TreeMap<>();
    for (Class<?> cls : OPTION_CLASSES) {
      for (Field f : cls.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
          ConfigOption<?> option = (ConfigOption<?>) f.get(null);
          current.put(option.key(), cls.getSimpleName() + "." + f.getName());
          for (FallbackKey fallback : option.fallbackKeys()) {
            if (fallback.isDeprecated()) {
              deprecated.put(fallback.getKey(), option.key());
            }
          }
        }
      }
    }
    TreeSet<String> problems = new TreeSet<>();
    for (String key : load().keySet()) {
      if (deprecated.containsKey(key)) {
        problems.add(key + " is deprecated: use " + deprecated.get(key));
      } else if (!current.containsKey(key)) {
        problems.add(key + " is not a Flink 2.2 option");
      }
    }
    assertEquals(new TreeSet<String>(), problems);
  }
}
