package org.ocsp.flink.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * The trainer job's restart strategy, declared once: exponential delay (1 s doubling to at most
 * 2 min, with jitter) and bounded, so a fault that comes back after every restart (a broker that
 * stays down, a bug) fails the job after {@value #ATTEMPTS} attempts instead of restarting it
 * forever; 30 min without a failure resets the count. Faults of one run do not restart the job at
 * all (they end that run as FAILED). The job sets it itself (mini-cluster, demo); the single-machine
 * configuration ({@code deploy/flink-conf/config.yaml}) and the Kubernetes deployment state the same
 * values, and their tests compare them with this.
 */
public final class RestartPolicy {
    public static final int ATTEMPTS = 10;

    /** Flink configuration keys and values. */
    public static final Map<String, String> SETTINGS = settings();

    /** The options {@link #SETTINGS} sets, for comparing typed values. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(RestartStrategyOptions.RESTART_STRATEGY,
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS);

    private RestartPolicy() {
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(RestartStrategyOptions.RESTART_STRATEGY.key(), "exponential-delay");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF.key(), "1 s");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF.key(), "2 min");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER.key(), "2.0");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD.key(), "30 min");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR.key(), "0.1");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS.key(), Integer.toString(ATTEMPTS));
        return java.util.Collections.unmodifiableMap(s);
    }

    /** The policy as a configuration (typed reads through {@link #OPTIONS}). */
    public static Configuration configuration() {
        return Configuration.fromMap(SETTINGS);
    }

    /** Adds the policy to a job's configuration. */
    public static void applyTo(Configuration conf) {
        conf.addAll(configuration());
    }
}
