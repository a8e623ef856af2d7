package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.modelops.arch.FashionVgg;
import org.ocsp.modelops.data.Augmentation;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.DatasetSplits;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.io.ModelFile;
import org.ocsp.modelops.saliency.SaliencyKind;
import org.ocsp.modelops.selection.SelectionSettings;
import org.ocsp.modelops.stability.RegularizationStartMode;
import org.ocsp.modelops.stability.StabilityConfig;

/** End to end on a real Fashion-MNIST subset: reaches t*, removes channels, keeps learning. */
class PruningLoopFashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void reachesTStarRemovesChannelsAndKeepsLearning() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed (dataset-fashion-mnist)");
        DatasetSplits data = FashionMnist.load().first(1536, 512);
        BatchSequence seq = BatchSequence.builder().setData(data).setNormalization(FashionMnist.NORMALIZATION)
                .setBatchSize(128).setSeed(7).optAugmentation(Augmentation.none()).build();
        NetworkGraph graph = FashionVgg.build(10);
        int epochs = 8;
        TrainingSettings settings = new TrainingSettings(128, 7, SgdConfig.cifarDefault(),
                LearningRateSchedule.cosine(0.05, 0, epochs * 12L), SaliencyKind.L2);
        StabilityConfig stability = StabilityConfig.builder().optMonitorStart(1)
                .optRegularizationStart(RegularizationStartMode.FIXED).optSlStart(1)
                .optLambdaStart(0.05).optLambdaDelta(0.05).optTau(0.97).optHardCap(5).build();
        PruningLoop loop = new PruningLoop(graph, settings, stability, SelectionSettings.reference(0.5), true);
        List<EpochReport> reports = loop.run(seq, epochs, new EpochListener() { });
        try (TrainingSession session = loop.session()) {
            Optional<EpochReport> tStar = reports.stream().filter(r -> r.pruning().isPresent()).findFirst();
            assertTrue(tStar.isPresent(), "t* was not reached");
            int t = tStar.get().epoch();
            assertTrue(t <= 5, "t* after the hard cap: " + t);
            assertTrue(reports.stream().anyMatch(r -> r.decision().regularizationStartedNow() && r.epoch() == 3),
                    "FIXED start with slStart 1 regularises from epoch 3");
            PruneResult p = tStar.get().pruning().get();
            double reduction = 1 - (double) p.flopsAfter() / p.flopsBefore();
            assertEquals(0.5, reduction, 0.05, "FLOPs reduction at t*");
            assertTrue(p.paramsAfter() < p.paramsBefore());
            assertEquals(p.flopsAfter(), session.flops());
            // The kept channels are those of the decision at t*.
            assertEquals(tStar.get().decision().mask().orElseThrow(), session.provenance().asMask());
            // Fine-tuning keeps learning: loss falls after the surgery, accuracy well above chance.
            EpochReport firstAfter = reports.get(t + 1);
            EpochReport last = reports.get(epochs - 1);
            assertTrue(last.trainLoss() < firstAfter.trainLoss(), "loss " + firstAfter.trainLoss() + " -> " + last.trainLoss());
            assertTrue(last.testAccuracy() > 0.6, "test accuracy " + last.testAccuracy());
            // The schedule position survives surgery: iterations count every step of the run.
            assertEquals(epochs * 12L, session.iteration());
            Path file = dir.resolve("pruned.ocsp");
            String sha = session.save(file);
            try (ModelFile.Loaded loaded = ModelFile.load(file)) {
                assertEquals(sha, loaded.sha256());
                assertEquals(session.provenance().asMask(), loaded.provenance().asMask());
            }
        }
    }
}
