package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PruningEvent;

/** One job, one stream, two runs with different FLOPs targets: each reaches its own t* and its own size. */
class TwoRunsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    static final int EPOCHS = 4;

    @Test
    void twoRunsOnOneStreamEachReachTheirOwnTStar(@TempDir Path dir) throws Exception {
        Topics topics = Fixtures.topics("two");
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-30", Fixtures.spec(0.3, EPOCHS, 2));
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-70", Fixtures.spec(0.7, EPOCHS, 1));
        JobClient job = Fixtures.start(Fixtures.job(topics, dir));
        List<SpecificRecord> all;
        try {
            Fixtures.awaitRunsRegistered(topics);
            Fixtures.publish(topics, EPOCHS);
            all = Fixtures.awaitPublished(topics, List.of("run-30", "run-70"));
        } finally {
            job.cancel().get();
        }
        check(Fixtures.ofRun(all, "run-30"), 0.3, 2);
        check(Fixtures.ofRun(all, "run-70"), 0.7, 1);
    }

    private static void check(List<SpecificRecord> log, double target, int hardCap) {
        List<PruningEvent> pruning = StreamingTrainerITCase.only(log, PruningEvent.class);
        assertEquals(1, pruning.size(), "one pruning event");
        PruningEvent p = pruning.get(0);
        assertTrue(p.getTStar() <= hardCap, "t* " + p.getTStar() + " after the hard cap " + hardCap);
        double reduction = 1 - (double) p.getFlopsAfter() / p.getFlopsBefore();
        assertEquals(target, reduction, 0.05, "FLOPs reduction of the pruned network");
        List<EpochCompleted> epochs = StreamingTrainerITCase.only(log, EpochCompleted.class);
        assertEquals(EPOCHS, epochs.size());
        assertEquals(p.getFlopsAfter(), epochs.get(EPOCHS - 1).getFlops(), "fine-tuned network has the pruned FLOPs");
        assertEquals(p.getFlopsAfter(), StreamingTrainerITCase.only(log, ModelPublished.class).get(0).getFinalMetrics()
                .getFlops());
    }
}
