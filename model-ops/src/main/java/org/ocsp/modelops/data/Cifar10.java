package org.ocsp.modelops.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads CIFAR-10 (50000 training and 10000 test colour 32x32 images, 10 classes) from the
 * binary version: {@code data_batch_1.bin} .. {@code data_batch_5.bin} (training, in that
 * order) and {@code test_batch.bin}.
 *
 * <pre>{@code
 * DatasetSplits data = Cifar10.load(Path.of("data/cifar-10-batches-bin"));
 * BatchSequence seq = BatchSequence.builder().setData(data)
 *         .setNormalization(Cifar10.NORMALIZATION).optAugmentation(Cifar10.TRAIN_AUGMENTATION)
 *         .setBatchSize(128).setSeed(1).build();
 * }</pre>
 *
 * <p>{@code dir} may also be the directory the archive {@code cifar-10-binary.tar.gz} was
 * unpacked into: its {@code cifar-10-batches-bin} sub-directory is then used.
 */
public final class Cifar10 {
    /** The dataset name runs and batches carry. */
    public static final String NAME = "cifar10";
    public static final int CLASSES = Cifar10BinaryReader.CLASSES;
    /** Class names by label. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** Per-channel (R, G, B) mean and standard deviation of the training pixels on the 0..1 scale. */
    public static final Normalization NORMALIZATION = Normalization.of(new double[] {0.4914, 0.4822, 0.4465},
            new double[] {0.2470, 0.2435, 0.2616});
    /** The usual CIFAR training augmentation: 4-pixel padded random crop, then a horizontal flip half the time. */
    public static final Augmentation TRAIN_AUGMENTATION = new RandomCropFlip(4, 0.5);

    static final String ARCHIVE_DIR = "cifar-10-batches-bin";

    private Cifar10() {
    }

    public static DatasetSplits load(Path dir) throws IOException {
        Path base = dir;
        if (!Files.exists(dir.resolve("data_batch_1.bin")) && Files.isDirectory(dir.resolve(ARCHIVE_DIR))) {
            base = dir.resolve(ARCHIVE_DIR);
        }
        List<Path> trainFiles = List.of(base.resolve("data_batch_1.bin"), base.resolve("data_batch_2.bin"),
                base.resolve("data_batch_3.bin"), base.resolve("data_batch_4.bin"), base.resolve("data_batch_5.bin"));
        ImageDataset train = Cifar10BinaryReader.read("cifar10/train", trainFiles);
        ImageDataset test = Cifar10BinaryReader.read("cifar10/test", List.of(base.resolve("test_batch.bin")));
        return new DatasetSplits(train, test);
    }
}
