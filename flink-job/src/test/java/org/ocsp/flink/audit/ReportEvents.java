package org.ocsp.flink.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.chain.EventLinker;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.train.EpochReport;
import org.ocsp.modelops.train.PruneResult;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.FinalMetrics;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.GroupJaccard;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.PruningReason;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;
import org.ocsp.schemas.avro.event.SelectionInputs;

/**
 * Test fixture: the events the streaming job would log for an offline {@code PruningLoop} run,
 * built from its {@link EpochReport}s and decisions only (nothing recomputed here). Order per
 * epoch t: the decision events for t (RegularizationStarted, PenaltyChanged, PruningEvent, then
 * MaskSnapshot), then EpochCompleted(t); ModelPublished last. Sequence numbers gap-free from
 * RunStarted = 0; event ids as flink-job's RunSpecs.eventId (name-based UUID of run/sequence/hash).
 * Each event is linked into the run's chain and signed as the stability operator does
 * ({@link EventLinker}) and given a simulated Kafka position (offset = index).
 */
final class ReportEvents {
    static final String TOPIC = "ocsp.events";

    private final String runId;
    private final RunSpec spec;
    private final RunSpecView view;
    private final int batchesPerEpoch;
    private final String configHash;
    private final EventCodec codec = EventCodec.create();
    private final List<SpecificRecord> records = new ArrayList<>();

    private final EventLinker linker;

    ReportEvents(String runId, RunSpec spec, RunSpecView view, int batchesPerEpoch, Optional<SigningKey> key) {
        this.linker = new EventLinker(codec, key);
        this.runId = runId;
        this.spec = spec;
        this.view = view;
        this.batchesPerEpoch = batchesPerEpoch;
        this.configHash = RunSpecView.configHash(spec);
    }

    String configHash() {
        return configHash;
    }

    RunLog log(List<EpochReport> reports, Map<Integer, SelectionInputs> selections, Path model, String sha, long size,
               long flops, long params) {
        records.add(RunStarted.newBuilder().setHeader(header(0, 0, "cli-run")).setSpec(spec).build());
        double lambda = 0;
        for (EpochReport r : reports) {
            EpochDecision d = r.decision();
            int t = r.epoch();
            long start = (long) t * batchesPerEpoch;
            if (d.regularizationStartedNow()) {
                records.add(RegularizationStarted.newBuilder().setHeader(header(t, start, "stability"))
                        .setMode(spec.getStability().getRegularizationStart())
                        .setReason("epoch " + t + " > slStart " + spec.getStability().getSlStart() + " + 1")
                        .setStabilityScore(d.stability().getAsDouble()).build());
            }
            if (d.lambdaChanged()) {
                records.add(PenaltyChanged.newBuilder().setHeader(header(t, start, "stability")).setLambdaOld(lambda)
                        .setLambdaNew(d.lambda().getAsDouble()).build());
            }
            lambda = d.lambda().orElse(0);
            if (d.pruneAtEndOfEpoch()) {
                PruneResult p = r.pruning().orElseThrow();
                List<GroupChannelCount> counts = new ArrayList<>();
                for (ChannelGroup g : view.groups()) {
                    counts.add(new GroupChannelCount(g.id(), p.widthsBefore().get(g.id()), p.widthsAfter().get(g.id())));
                }
                records.add(PruningEvent.newBuilder().setHeader(header(t, start, "stability")).setTStar(t)
                        .setReason(PruningReason.valueOf(d.pruneReason().get().name()))
                        .setStabilityScore(d.stability().getAsDouble()).setFinalMask(SelectionRecords.groupMasks(view.groups(), d.mask().get()))
                        .setChannelCounts(counts).setFlopsBefore(p.flopsBefore()).setFlopsAfter(p.flopsAfter())
                        .setParamsBefore(p.paramsBefore()).setParamsAfter(p.paramsAfter()).build());
            }
            if (d.mask().isPresent()) {
                List<GroupJaccard> jaccard = new ArrayList<>();
                d.groupJaccard().forEach((g, j) -> jaccard.add(new GroupJaccard(g, j)));
                records.add(MaskSnapshot.newBuilder().setHeader(header(t, start, "stability")).setGroups(SelectionRecords.groupMasks(view.groups(), d.mask().get()))
                        .setComparedWithEpoch(jaccard.isEmpty() ? null : t - spec.getStability().getLag())
                        .setGroupJaccard(jaccard).setSimilarity(d.similarity().getAsDouble())
                        .setStabilityScore(d.stability().getAsDouble())
                        .setSaliencyDigest(SelectionRecords.DIGEST_PREFIX
                                + SelectionRecords.scores(selections.get(t)).digest())
                        .setSelection(selections.get(t)).build());
            }
            // The network trained in epoch t: at t* that is still the dense one (the report's flops are after surgery).
            long epochFlops = r.pruning().map(PruneResult::flopsBefore).orElse(r.flops());
            long epochParams = r.pruning().map(PruneResult::paramsBefore).orElse(r.params());
            records.add(EpochCompleted.newBuilder().setHeader(header(t, start + batchesPerEpoch, "trainer"))
                    .setDatasetEpoch(t).setTrainLoss(r.trainLoss()).setTrainAccuracy(r.trainAccuracy())
                    .setTestAccuracy(r.testAccuracy()).setLearningRate(r.learningRate()).setFlops(epochFlops)
                    .setParams(epochParams).setImagesPerSecond(r.imagesPerSecond()).setDurationMillis(r.durationMillis())
                    .setTestLoss(r.testLoss()).build());
        }
        EpochReport last = reports.get(reports.size() - 1);
        records.add(ModelPublished.newBuilder()
                .setHeader(header(last.epoch(), (long) reports.size() * batchesPerEpoch, "trainer"))
                .setUri(model.toUri().toString()).setSha256(sha).setSizeBytes(size)
                .setFinalMetrics(FinalMetrics.newBuilder().setEpochsTrained(reports.size()).setTrainLoss(last.trainLoss())
                        .setTrainAccuracy(last.trainAccuracy()).setTestAccuracy(last.testAccuracy()).setFlops(flops)
                        .setParams(params).build()).build());
        List<LoggedEvent> events = new ArrayList<>();
        String head = null;
        for (int i = 0; i < records.size(); i++) {
            Optional<LoggedEvent.LogPosition> at = Optional.of(new LoggedEvent.LogPosition(TOPIC, 0, i));
            if (i == 0) { // RunStarted: written by the client, unsigned; the chain's root
                byte[] bytes = codec.encode(records.get(0));
                head = EventChain.hash(bytes);
                events.add(LoggedEvent.of(records.get(0), bytes, at, Optional.empty(), Optional.of(runId)));
                continue;
            }
            EventLinker.Linked l = linker.link(records.get(i), head);
            head = l.hash();
            events.add(LoggedEvent.of(records.get(i), l.bytes(), at, l.signature(), Optional.of(runId)));
        }
        return RunLog.of(runId, events);
    }

    private EventHeader header(int epoch, long step, String producer) {
        long sequence = records.size();
        UUID id = UUID.nameUUIDFromBytes((runId + "/" + sequence + "/" + configHash).getBytes(StandardCharsets.UTF_8));
        return EventHeader.newBuilder().setEventId(id).setRunId(runId).setSequence(sequence).setEpoch(epoch).setStep(step)
                .setEventTime(Instant.ofEpochMilli(1_780_000_000_000L + sequence * 1000)).setProducer(producer)
                .setConfigHash(configHash).setConsumedOffsets(null).setCheckpointId(null).build();
    }
}
