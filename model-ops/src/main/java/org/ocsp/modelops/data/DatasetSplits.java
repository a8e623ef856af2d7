package org.ocsp.modelops.data;

import java.util.Objects;

/**
 * A training set and the test set it is evaluated on; both have the same image shape and
 * number of classes.
 *
 * <pre>{@code
 * DatasetSplits data = FashionMnist.load().first(2000, 500);   // short demo
 * ImageDataset train = data.train();
 * }</pre>
 */
public record DatasetSplits(ImageDataset train, ImageDataset test) {
    public DatasetSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (!train.isCompatibleWith(test)) {
            throw new IllegalArgumentException("Train and test sets do not match: " + train + " vs " + test);
        }
    }

    /** The first {@code trainCount} training and first {@code testCount} test images, in file order. */
    public DatasetSplits first(int trainCount, int testCount) {
        return new DatasetSplits(train.first(trainCount), test.first(testCount));
    }

    public int numClasses() {
        return train.numClasses();
    }

    public int channels() {
        return train.channels();
    }

    public int height() {
        return train.height();
    }

    public int width() {
        return train.width();
    }
}
