package org.ocsp.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

/** The restart strategy is bounded, and the single-machine Flink configuration states the job's own. */
class RestartPolicyTest {
    @Test
    void theJobAndDeploysFlinkConfigurationRestartTheSameBoundedWay() {
        Configuration job = TrainerJob.builder().setBootstrapServers("h:9092").build().configuration();
        Configuration deploy = GlobalConfiguration.loadConfiguration(Path.of("..", "deploy", "flink-conf").toString());
        for (ConfigOption<?> o : RestartPolicy.OPTIONS) {
            assertEquals(RestartPolicy.configuration().get(o), job.get(o), "job: " + o.key());
            assertTrue(deploy.contains(o), "deploy/flink-conf/config.yaml sets no " + o.key());
            assertEquals(RestartPolicy.configuration().get(o), deploy.get(o), "deploy/flink-conf: " + o.key());
        }
        assertEquals(RestartPolicy.ATTEMPTS, job.get(org.apache.flink.configuration.RestartStrategyOptions
                .RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS), "a bounded number of attempts");
    }
}
