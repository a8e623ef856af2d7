package org.ocsp.modelops.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One materialised batch: position in the stream ({@code epoch}, {@code split}, {@code index}
 * within that split of that epoch, all from 0), the samples as normalised floats in NCHW
 * order and their class labels.
 *
 * <pre>{@code
 * for (Batch b : sequence.batches(0)) {
 *     float firstValue = b.features()[0];     // sample 0, channel 0, row 0, column 0
 *     int firstLabel = b.labels()[0];
 * }
 * }</pre>
 *
 * <p>The arrays are not copied (a batch is large and made often): the batch owns them and no
 * one should change them. Equality compares the array contents, so two batches are equal
 * exactly when a consumer could not tell them apart.
 */
public record Batch(int epoch, Split split, int index, int size, int channels, int height, int width,
        float[] features, int[] labels) {
    public Batch {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (epoch < 0 || index < 0 || size <= 0 || channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Invalid batch epoch=" + epoch + " index=" + index + " size=" + size
                    + " shape=" + channels + "x" + height + "x" + width
                    + ": epoch and index must be >= 0, size and shape > 0");
        }
        if (labels.length != size || features.length != (long) size * channels * height * width) {
            throw new IllegalArgumentException("Batch of " + size + " x " + channels + "x" + height + "x" + width
                    + " needs " + (long) size * channels * height * width + " features and " + size
                    + " labels, got " + features.length + " and " + labels.length);
        }
    }

    /** Floats per sample: channels x height x width. */
    public int featuresPerSample() {
        return channels * height * width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && epoch == b.epoch && split == b.split && index == b.index && size == b.size
                && channels == b.channels && height == b.height && width == b.width
                && Arrays.equals(labels, b.labels) && Arrays.equals(features, b.features);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(epoch, split, index, size, channels, height, width);
        return 31 * (31 * h + Arrays.hashCode(labels)) + Arrays.hashCode(features);
    }

    /** Position and shape only: printing the floats of a batch helps no one. */
    @Override
    public String toString() {
        return "Batch{epoch=" + epoch + ", " + split + " #" + index + ", " + size + " x " + channels + "x" + height
                + "x" + width + "}";
    }
}
