package org.ocsp.flink;


import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.deploy.EmbeddedKafkaBroker;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * The broker is stopped in the middle of a run and started again on the same log directory and
 * port: the job's clients lose it (in-flight transactions included) and pick it up again, and the
 * committed event log is the one of an uninterrupted run on the same broker.
 */
class BrokerRestartITCase {
    static final int EPOCHS = 5;

    @Test
    void aBrokerRestartLosesNoDecisionAndDuplicatesNone(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logs = dir.resolve("kafka");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(logs).port(port).start();
        Fixtures.useBroker(broker.bootstrapServers());
        try {
            RunSpec spec = Fixtures.spec(0.5, EPOCHS, 3);
            try (MiniCluster cluster = Fixtures.miniCluster(dir, 1)) {
                Topics plain = Fixtures.topics("restart-plain");
                RunStarter.start(Fixtures.bootstrap(), plain, "run-k", spec);
                JobID job = Fixtures.submit(cluster, Fixtures.job(plain, dir.resolve("plain")));
                List<SpecificRecord> uninterrupted;
                try {
                    Fixtures.awaitRunsRegistered(plain);
                    Fixtures.publish(plain, EPOCHS);
                    uninterrupted = Fixtures.ofRun(Fixtures.awaitPublished(plain, List.of("run-k")), "run-k");
                } finally {
                    cluster.cancelJob(job).get();
                }

                Topics cut = Fixtures.topics("restart-cut");
                RunStarter.start(Fixtures.bootstrap(), cut, "run-k", spec);
                job = Fixtures.submit(cluster, Fixtures.job(cut, dir.resolve("cut")));
                List<SpecificRecord> survived;
                try {
                    Fixtures.awaitRunsRegistered(cut);
                    Fixtures.publish(cut, 0, EPOCHS - 1);
                    try (LogReader events = new LogReader(Fixtures.bootstrap(), cut.events().name())) {
                        events.await(rs -> rs.stream().anyMatch(r -> r instanceof MaskSnapshot
                                && ((MaskSnapshot) r).getHeader().getEpoch() == 2), Fixtures.TIMEOUT, "the cut point");
                    }
                    broker.close();
                    broker = EmbeddedKafkaBroker.builder().dataDir(logs).port(port).start();
                    Fixtures.publish(cut, EPOCHS - 1, 1);
                    survived = Fixtures.ofRun(Fixtures.awaitPublished(cut, List.of("run-k")), "run-k");
                } finally {
                    cluster.cancelJob(job).get();
                }
                Fixtures.assertSameLogAsUninterrupted(uninterrupted, survived, cut, "run-k", EPOCHS);
            }
        } finally {
            Fixtures.useBroker(null);
            broker.close();
        }
    }
}
