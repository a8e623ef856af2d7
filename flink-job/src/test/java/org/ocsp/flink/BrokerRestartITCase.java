package org.ocsp.flink;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.deploy.EmbeddedKafkaBroker;

/**
 * The broker is stopped in the middle of a run and started again on the same log directory and
 * port: the job's clients lose it (in-flight transactions included) and pick it up again, and the
 * committed event log is the one of an uninterrupted run on the same broker.
 */
class BrokerRestartITCase {
    @Test
    void aBrokerRestartLosesNoDecisionAndDuplicatesNone(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logs = dir.resolve("kafka");
        EmbeddedKafkaBroker[] broker = {EmbeddedKafkaBroker.builder().dataDir(logs).port(port).start()};
        Fixtures.useBroker(broker[0].bootstrapServers());
        try (MiniCluster cluster = Fixtures.miniCluster(dir, 1)) {
            int samePort = port;
            Fixtures.assertFaultLeavesTheLog(cluster, dir, "restart", 5, () -> {
                broker[0].close();
                broker[0] = EmbeddedKafkaBroker.builder().dataDir(logs).port(samePort).start();
            });
        } finally {
            Fixtures.useBroker(null);
            broker[0].close();
        }
    }
}
