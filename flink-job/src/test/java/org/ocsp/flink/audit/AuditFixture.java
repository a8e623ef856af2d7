package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.modelops.data.Augmentation;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.DatasetSplits;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.modelops.data.ImageDataset;
import org.ocsp.modelops.data.Split;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.chain.TestSigningKey;
import org.ocsp.flink.chain.VerifyingKey;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.train.EpochListener;
import org.ocsp.modelops.train.EpochReport;
import org.ocsp.modelops.train.LearningRateSchedule;
import org.ocsp.modelops.train.PruningLoop;
import org.ocsp.modelops.train.SgdConfig;
import org.ocsp.modelops.train.TrainingSession;
import org.ocsp.modelops.train.TrainingSettings;
import org.ocsp.schemas.avro.event.CosineSchedule;
import org.ocsp.schemas.avro.event.LrScheduleKind;
import org.ocsp.schemas.avro.event.LrScheduleSpec;
import org.ocsp.schemas.avro.event.OptimizerSpec;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.SelectionInputs;
import org.ocsp.schemas.avro.event.SelectionSpec;
import org.ocsp.schemas.avro.event.StabilitySpec;

/**
 * A real, tiny offline OCSPruner run (model-ops {@link PruningLoop}, fashion-vgg on a 14x14
 * Fashion-MNIST subset, 7 epochs, settings that reach t*) turned into the event log the streaming
 * job would write ({@link ReportEvents}), with its published model file and manifest. Built once
 * per test JVM under {@code target/audit-fixture/}.
 */
public final class AuditFixture {
    static final int EPOCHS = 7;
    static final int BATCH = 64;

    /** A run's log, its model file and manifest, and the offline reports it was made from. */
    public record Run(String runId, RunSpec spec, RunLog log, Path modelFile, Path manifest, List<EpochReport> reports) {
    }

    private static final Map<String, Run> RUNS = new HashMap<>();
    private static DatasetSplits data;

    private AuditFixture() {
    }

    /** The default clean run (50% FLOPs target). */
    public static Run clean() {
        return run("fixture-50", 0.5);
    }

    public static synchronized Run run(String runId, double target) {
        return RUNS.computeIfAbsent(runId, id -> build(id, target));
    }

    static RunSpec spec(double target) {
        return RunSpec.newBuilder().setArchitecture("fashion-vgg").setNumClasses(10).setInputShape(List.of(1, 14, 14))
                .setDatasetName("fashion-mnist-14").setFlopsReductionTarget(target).setEpochsPlanned(EPOCHS)
                .setBatchSize(BATCH)
                .setOptimizer(OptimizerSpec.newBuilder().setLearningRate(0.05).setMomentum(0.9).setNesterov(true)
                        .setWeightDecay(5e-4).build())
                .setLrSchedule(LrScheduleSpec.newBuilder().setKind(LrScheduleKind.COSINE).setPerIteration(true)
                        .setParams(CosineSchedule.newBuilder().setFinalLearningRate(0).setHorizonEpochs(null).build()).build())
                .setStability(StabilitySpec.newBuilder().setMonitorStart(1).setLag(2).setWindow(3).setTau(0.97)
                        .setRegularizationStart(RegularizationStartMode.FIXED).setSlStart(1).setPlateauEps(1e-4)
                        .setLambdaStart(0.05).setLambdaDelta(0.05).setLambdaInterval(1).setHardCapEpoch(5).build())
                .setSelection(SelectionSpec.newBuilder().setMaxPruneFraction(0.75).setPruneLimitRate(1.0)
                        .setFlopsTolerance(5e-4).setCostAware(true).build())
                .setSaliency(org.ocsp.schemas.avro.event.SaliencyKind.L2_MAGNITUDE).setSeed(7).build();
    }

    private static Run build(String runId, double target) {
        try {
            DatasetSplits splits = data();
            RunSpec spec = spec(target);
            RunSpecView view = RunSpecView.of(spec);
            BatchSequence seq = BatchSequence.builder().setData(splits).setNormalization(FashionMnist.NORMALIZATION)
                    .setBatchSize(BATCH).setSeed(spec.getSeed()).optAugmentation(Augmentation.none()).build();
            int perEpoch = seq.batchCount(Split.TRAIN);
            // Training settings derived from the logged spec, as the streaming job does.
            SgdConfig sgd = new SgdConfig(spec.getOptimizer().getMomentum(), spec.getOptimizer().getNesterov(),
                    spec.getOptimizer().getWeightDecay());
            TrainingSettings settings = new TrainingSettings(BATCH, spec.getSeed(), sgd,
                    LearningRateSchedule.cosine(spec.getOptimizer().getLearningRate(), 0, (long) EPOCHS * perEpoch),
                    SaliencyKind.L2);
            PruningLoop loop = new PruningLoop(view.graph(), settings, view.stabilityConfig(), view.selection(), true);
            Map<Integer, SelectionInputs> selections = new HashMap<>();
            List<EpochReport> reports = loop.run(seq, EPOCHS, new EpochListener() {
                @Override
                public void onSelection(int epoch, GroupScores scores, Selection selection) {
                    selections.put(epoch, SelectionRecords.inputs(view.groups(), scores, selection)); // as StabilityOperator
                }
            });
            Path dir = Path.of("target", "audit-fixture", runId).toAbsolutePath();
            Files.createDirectories(dir);
            Path model = dir.resolve("model.ocsp");
            String sha;
            long flops;
            long params;
            try (TrainingSession session = loop.session()) {
                sha = session.save(model);
                flops = session.flops();
                params = session.parameterCount();
                ReportEvents events = new ReportEvents(runId, spec, view, perEpoch, Optional.of(signingKey()));
                RunLog log = events.log(reports, selections, model, sha, Files.size(model), flops, params);
                Path manifest = dir.resolve("manifest.json");
                Files.writeString(manifest, Manifests.json(runId, spec, events.configHash(), session, reports, sha,
                        Files.size(model), model));
                return new Run(runId, spec, log, model, manifest, reports);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 512 training and 256 test images of Fashion-MNIST, averaged down to 14x14. */
    private static synchronized DatasetSplits data() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIR + " (Debian package dataset-fashion-mnist)");
        if (data == null) {
            DatasetSplits full = FashionMnist.load().first(512, 256);
            data = new DatasetSplits(half(full.train()), half(full.test()));
        }
        return data;
    }

    private static ImageDataset half(ImageDataset d) {
        int n = d.size();
        byte[] px = new byte[n * 14 * 14];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 14; y++) {
                for (int x = 0; x < 14; x++) {
                    int sum = d.pixel(i, 0, 2 * y, 2 * x) + d.pixel(i, 0, 2 * y + 1, 2 * x) + d.pixel(i, 0, 2 * y, 2 * x + 1)
                            + d.pixel(i, 0, 2 * y + 1, 2 * x + 1);
                    px[i * 196 + y * 14 + x] = (byte) Math.round(sum / 4.0);
                }
            }
        }
        return ImageDataset.of(d.name() + "-14", d.numClasses(), 1, 14, 14, px, d.labels());
    }

    /** The job's signing key of every fixture run. */
    static SigningKey signingKey() {
        return TestSigningKey.signingKey();
    }

    static VerifyingKey publicKey() {
        return signingKey().publicKey();
    }

    /** Copies of a log's events, for tampering. */
    static List<LoggedEvent> events(Run run) {
        return new ArrayList<>(run.log().inLogOrder());
    }
}
