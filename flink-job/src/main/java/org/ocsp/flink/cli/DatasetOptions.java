package org.ocsp.flink.cli;

import org.ocsp.modelops.data.KnownDatasets;
import java.io.IOException;
import java.nio.file.Path;
import org.ocsp.modelops.data.Augmentation;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.Cifar10;
import org.ocsp.modelops.data.DatasetSplits;
import org.ocsp.modelops.data.FashionMnist;
import picocli.CommandLine.Option;

/** Which dataset to stream and how (shared by {@code publish} and {@code demo}). */
final class DatasetOptions {
    @Option(names = "--data-dir", description = "Fashion-MNIST IDX directory (default: ${DEFAULT-VALUE}).")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Option(names = "--cifar-dir", description = "CIFAR-10 binary directory: stream CIFAR-10 instead of Fashion-MNIST.")
    Path cifarDir;

    @Option(names = "--stream-batch-size", description = "Examples per published batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--data-seed", description = "Seed of shuffling and augmentation (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--augment", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Random crop + flip (default: ${DEFAULT-VALUE}).")
    boolean augment = true;

    @Option(names = "--train-subset", description = "Only the first N training images (default: all).")
    Integer trainSubset;

    @Option(names = "--test-subset", description = "Only the first N test images (default: all).")
    Integer testSubset;

    String name() {
        return cifarDir != null ? Cifar10.NAME : FashionMnist.NAME;
    }

    BatchSequence sequence() throws IOException {
        DatasetSplits data = cifarDir != null ? Cifar10.load(cifarDir) : FashionMnist.load(dataDir);
        if (trainSubset != null || testSubset != null) {
            data = data.first(trainSubset == null ? data.train().size() : Math.min(trainSubset, data.train().size()),
                    testSubset == null ? data.test().size() : Math.min(testSubset, data.test().size()));
        }
        Augmentation aug = !augment ? Augmentation.none()
                : cifarDir != null ? Cifar10.TRAIN_AUGMENTATION : Augmentation.randomCropAndFlip(2, 0.5);
        return BatchSequence.builder().setData(data)
                .setNormalization(KnownDatasets.normalization(name()).orElseThrow())
                .setBatchSize(batchSize).setSeed(seed).optAugmentation(aug).build();
    }
}
