package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ocsp.flink.topics.KafkaConnection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.train.EpochListener;
import org.ocsp.modelops.train.EpochReport;
import org.ocsp.modelops.train.PruningLoop;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.schemas.avro.event.RunSpec;

/** End to end with a real broker and a real mini-cluster: the streaming run decides exactly as PruningLoop. */
class StreamingTrainerITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    static final int EPOCHS = 6;

    @Test
    void streamingDecisionsEqualThoseOfTheOfflineLoop(@TempDir Path dir) throws Exception {
        Topics topics = Fixtures.topics("e2e");
        RunSpec spec = Fixtures.spec(0.5, EPOCHS, 4);
        RunStarter.start(KafkaConnection.of(TestKafka.bootstrapServers()), topics, "run-a", spec);
        JobClient job = Fixtures.start(Fixtures.job(topics, dir));
        List<SpecificRecord> log;
        try {
            Fixtures.awaitRunsRegistered(topics);
            Fixtures.publish(topics, EPOCHS);
            log = Fixtures.ofRun(Fixtures.awaitPublished(topics, List.of("run-a")), "run-a");
        } finally {
            job.cancel().get();
        }

        // The log: gap-free sequence from RunStarted (0), unique event ids, every epoch completed.
        List<Long> sequences = log.stream().map(r -> Fixtures.header(r).getSequence()).collect(Collectors.toList());
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals(i, sequences.get(i), "sequence of event " + i + " in " + sequences);
        }
        Set<Object> ids = new HashSet<>();
        log.forEach(r -> assertTrue(ids.add(Fixtures.header(r).getEventId()), "duplicate event id"));
        List<EpochCompleted> epochs = only(log, EpochCompleted.class);
        assertEquals(EPOCHS, epochs.size());

        // The reference: model-ops' offline loop on the same data, seed and settings.
        BatchSequence seq = Fixtures.sequence();
        PruningLoop loop = new PruningLoop(RunSpecs.graph(spec), RunSpecs.settings(spec, seq.batchCount(Split.TRAIN)),
                RunSpecs.stability(spec), RunSpecs.selection(spec), true);
        List<EpochReport> reports = loop.run(seq, EPOCHS, new EpochListener() { });
        loop.session().close();

        Map<Integer, Map<String, List<Integer>>> offlineMasks = new LinkedHashMap<>();
        Integer offlineSlStart = null;
        Integer offlineTStar = null;
        for (EpochReport r : reports) {
            EpochDecision d = r.decision();
            d.mask().ifPresent(m -> offlineMasks.put(d.epoch(), Fixtures.kept(m)));
            if (d.regularizationStartedNow()) {
                offlineSlStart = d.epoch();
            }
            if (d.pruneAtEndOfEpoch()) {
                offlineTStar = d.epoch();
            }
        }
        Map<Integer, Map<String, List<Integer>>> streamMasks = new LinkedHashMap<>();
        for (MaskSnapshot m : only(log, MaskSnapshot.class)) {
            streamMasks.put(m.getHeader().getEpoch(), Fixtures.kept(m.getGroups()));
        }
        assertFalse(offlineMasks.isEmpty(), "the offline run computed no sub-network");
        assertEquals(offlineMasks, streamMasks, "sub-networks M_t per epoch");
        List<RegularizationStarted> reg = only(log, RegularizationStarted.class);
        assertEquals(1, reg.size());
        assertEquals(offlineSlStart, reg.get(0).getHeader().getEpoch(), "t_sl-start");
        List<PruningEvent> pruning = only(log, PruningEvent.class);
        assertEquals(1, pruning.size());
        assertEquals(offlineTStar, pruning.get(0).getTStar(), "t*");
        assertEquals(offlineMasks.get(offlineTStar), Fixtures.kept(pruning.get(0).getFinalMask()), "final mask");
        EpochReport last = reports.get(EPOCHS - 1);
        assertEquals(last.flops(), epochs.get(EPOCHS - 1).getFlops(), "FLOPs of the fine-tuned network");
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(reports.get(e).trainLoss(), epochs.get(e).getTrainLoss(), 1e-9, "train loss of epoch " + e);
        }

        double streaming = epochs.stream().mapToDouble(EpochCompleted::getImagesPerSecond).average().orElse(0);
        double offline = reports.stream().mapToDouble(EpochReport::imagesPerSecond).average().orElse(1);
        System.out.printf("training throughput: streaming %.1f img/s, offline %.1f img/s, ratio %.2f%n", streaming,
                offline, streaming / offline);

        ModelPublished published = only(log, ModelPublished.class).get(0);
        Path model = Path.of(URI.create(published.getUri()));
        assertTrue(Files.exists(model));
        assertTrue(Files.exists(model.resolveSibling("manifest.json")));
        assertEquals(Files.size(model), published.getSizeBytes());
    }

    static <T> List<T> only(List<SpecificRecord> log, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (SpecificRecord r : log) {
            if (type.isInstance(r)) {
                out.add(type.cast(r));
            }
        }
        return out;
    }
}
