package org.ocsp.flink.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.ocsp.flink.cli.EventTail;
import org.ocsp.flink.publish.Publisher;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.run.RunStopper;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.Split;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * One run of the streaming job, already running on the cluster: RunStarted, then (once the job's
 * fan-out has registered the run) every epoch published at once, so the trainer is never starved;
 * then the run's EpochCompleted events until ModelPublished. Images/s per epoch are the trainer's
 * own ({@code EpochCompleted.imagesPerSecond}); decision waits come from its gauge.
 */
final class StreamingRun {
    private final String bootstrapServers;
    private final Topics topics;
    private final MiniCluster cluster;
    private final JobID job;
    private final DecisionWaitRecorder waits;
    private final Duration timeout;

    /** When the run's batches started to be published and when its ModelPublished was read. */
    record Window(long startMillis, long endMillis) {
        boolean contains(long millis) {
            return millis >= startMillis && millis <= endMillis;
        }
    }

    record Result(RunMeasurement measurement, Window window) {
    }

    StreamingRun(String bootstrapServers, Topics topics, MiniCluster cluster, JobID job, DecisionWaitRecorder waits,
                 Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.cluster = cluster;
        this.job = job;
        this.waits = waits;
        this.timeout = timeout;
    }

    Result run(String runId, RunSpec spec, BatchSequence seq, String datasetName, int epochs, int round) {
        if (spec.getEpochsPlanned() == null || spec.getEpochsPlanned() != epochs) {
            throw new IllegalArgumentException("Run " + runId + " plans " + spec.getEpochsPlanned() + " epochs but "
                    + epochs + " would be published: it would never finish");
        }
        RunStarter.start(KafkaConnection.of(bootstrapServers), topics, runId, spec);
        awaitReady();
        long start = System.currentTimeMillis();
        Publisher.builder().setBootstrapServers(bootstrapServers).setTopics(topics).setSequence(seq)
                .setDatasetName(datasetName).optEpochs(epochs).build().publish();
        SortedMap<Integer, EpochCompleted> completed = awaitCompleted(runId);
        Window window = new Window(start, System.currentTimeMillis());
        SortedMap<Integer, Long> wait = waits.waits(runId);
        long trainImages = seq.dropLast() ? (long) seq.batchCount(Split.TRAIN) * seq.batchSize()
                : seq.sampleCount(Split.TRAIN);
        List<EpochSample> samples = new ArrayList<>();
        for (EpochCompleted e : completed.values()) {
            int epoch = e.getHeader().getEpoch();
            Long w = wait.get(epoch);
            samples.add(new EpochSample(epoch, trainImages, e.getImagesPerSecond(), e.getDurationMillis(),
                    w == null ? OptionalLong.empty() : OptionalLong.of(w)));
        }
        return new Result(new RunMeasurement(RunMeasurement.Mode.STREAMING, round, samples), window);
    }

    /**
     * An event for an unknown run is dead-lettered by the fan-out after every event before it,
     * so once the probe's dead letter is committed every run started before is registered and its
     * stream can start at epoch 0, like the bare loop; and the job is up end to end (source, fan-out,
     * checkpoint, transactional sink). A checkpoint is requested to commit it sooner.
     */
    void awaitReady() {
        String probe = "probe-" + System.nanoTime();
        RunStopper.stop(KafkaConnection.of(bootstrapServers), topics, probe, "bench", "readiness probe");
        cluster.triggerCheckpoint(job); // not awaited: a periodic checkpoint in progress may refuse it
        long deadline = System.nanoTime() + timeout.toNanos();
        try (EventTail dlq = new EventTail(KafkaConnection.of(bootstrapServers), topics.deadLetters().name())) {
            while (System.nanoTime() < deadline) {
                for (SpecificRecord r : dlq.poll(Duration.ofMillis(200))) {
                    if (r instanceof DeadLetter && probe.equals(((DeadLetter) r).getRunId())) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("The job did not register the run within " + timeout);
    }

    private SortedMap<Integer, EpochCompleted> awaitCompleted(String runId) {
        SortedMap<Integer, EpochCompleted> out = new TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (EventTail tail = new EventTail(KafkaConnection.of(bootstrapServers), topics.events().name())) {
            while (System.nanoTime() < deadline) {
                for (SpecificRecord r : tail.poll(Duration.ofMillis(200))) {
                    boolean ours = RecordType.headerOf(r).map(h -> h.getRunId().equals(runId)).orElse(false);
                    if (ours && r instanceof EpochCompleted) {
                        EpochCompleted e = (EpochCompleted) r;
                        out.put(e.getHeader().getEpoch(), e);
                    } else if (ours && r instanceof ModelPublished) {
                        return out;
                    }
                }
            }
        }
        throw new IllegalStateException("Run " + runId + " did not finish within " + timeout);
    }
}
