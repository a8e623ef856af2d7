package org.ocsp.modelops.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads Fashion-MNIST (60000 training and 10000 test grey-scale 28x28 images, 10 classes)
 * from the four IDX files, gzip-compressed or not.
 *
 * <pre>{@code
 * DatasetSplits data = FashionMnist.load();                    // Debian package location
 * DatasetSplits small = FashionMnist.load(dir).first(1000, 200);
 * Normalization norm = FashionMnist.NORMALIZATION;
 * }</pre>
 */
public final class FashionMnist {
    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The dataset name runs and batches carry. */
    public static final String NAME = "fashion-mnist";
    public static final int CLASSES = 10;
    /** Class names by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Mean and standard deviation of the training pixels on the 0..1 scale. */
    public static final Normalization NORMALIZATION = Normalization.of(0.2860, 0.3530);

    private FashionMnist() {
    }

    /** Loads from {@link #DEFAULT_DIR}. */
    public static DatasetSplits load() throws IOException {
        return load(DEFAULT_DIR);
    }

    /** Loads {@code train-images-idx3-ubyte[.gz]} and the three sibling files from {@code dir}. */
    public static DatasetSplits load(Path dir) throws IOException {
        ImageDataset train = loadPart(dir, "train", "fashion-mnist/train");
        ImageDataset test = loadPart(dir, "t10k", "fashion-mnist/test");
        return new DatasetSplits(train, test);
    }

    private static ImageDataset loadPart(Path dir, String prefix, String name) throws IOException {
        Path imageFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelFile = find(dir, prefix + "-labels-idx1-ubyte");
        IdxImages images = IdxReader.readImages(imageFile);
        int[] labels = IdxReader.readLabels(labelFile);
        if (labels.length != images.count()) {
            throw new MalformedDataException(labelFile, labels.length + " labels but " + imageFile + " holds "
                    + images.count() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new MalformedDataException(labelFile, "label " + labels[i] + " at index " + i
                        + " is outside [0, " + CLASSES + ")");
            }
        }
        return ImageDataset.wrap(name, CLASSES, 1, images.rows(), images.cols(), images.pixels(), labels);
    }

    /** Prefers the compressed file, as the Debian package ships it. */
    private static Path find(Path dir, String baseName) throws NoSuchFileException {
        Path gz = dir.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new NoSuchFileException(gz.toString(), null, "Fashion-MNIST file " + baseName + "(.gz) not found in "
                + dir + "; install the Debian package dataset-fashion-mnist or give the directory holding the"
                + " four IDX files");
    }
}
