package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.deploy.EmbeddedKafkaBroker;
import org.ocsp.flink.audit.DecisionVerifier;
import org.ocsp.flink.audit.KafkaEventSource;
import org.ocsp.flink.audit.VerificationResult;
import org.ocsp.flink.job.TrainerJob;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.avro.event.EpochCompleted;
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
            Configuration conf = Fixtures.job(Fixtures.topics("restart-template"), dir.resolve("template")).configuration();
            conf.set(RestOptions.BIND_PORT, "0");
            try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                    .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build())) {
                cluster.start();
                Topics plain = Fixtures.topics("restart-plain");
                RunStarter.start(Fixtures.bootstrap(), plain, "run-k", spec);
                JobID job = submit(cluster, Fixtures.job(plain, dir.resolve("plain")));
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
                job = submit(cluster, Fixtures.job(cut, dir.resolve("cut")));
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
                assertEquals(RestoreITCase.normalized(uninterrupted), RestoreITCase.normalized(survived));
                for (int i = 0; i < survived.size(); i++) {
                    assertEquals(i, Fixtures.header(survived.get(i)).getSequence(), "gap-free, duplicate-free sequence");
                }
                assertEquals(EPOCHS, StreamingTrainerITCase.only(survived, EpochCompleted.class).size());
                VerificationResult v = new DecisionVerifier(List.of(Fixtures.publicKey())).verify(KafkaEventSource.builder()
                        .setBootstrapServers(Fixtures.bootstrap()).setTopic(cut.events().name()).build().load("run-k"));
                assertTrue(v.ok(), v.describe());
            }
        } finally {
            Fixtures.useBroker(null);
            broker.close();
        }
    }

    private static JobID submit(MiniCluster cluster, TrainerJob job) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
        job.addTo(env);
        return cluster.submitJob(env.getStreamGraph()).get().getJobID();
    }
}
