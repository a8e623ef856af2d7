package org.ocsp.modelops.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable labelled image set: {@code size} images of {@code channels x height x width}
 * unsigned bytes (NCHW, one byte per pixel, 0..255) and one class label per image.
 *
 * <pre>{@code
 * ImageDataset train = FashionMnist.load().train();
 * int label = train.label(0);
 * int topLeft = train.pixel(0, 0, 0, 0);          // 0..255
 * ImageDataset small = train.first(1000);         // deterministic subset for demos
 * }</pre>
 *
 * <p>Pixels stay as bytes (a quarter of the memory of floats); they become normalised floats
 * only when a {@link Batch} is materialised.
 */
public final class ImageDataset {
    private final String name;
    private final int numClasses;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;

    private ImageDataset(String name, int numClasses, int channels, int height, int width, byte[] pixels,
            int[] labels) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        checkPositive("numClasses", numClasses, name);
        checkPositive("channels", channels, name);
        checkPositive("height", height, name);
        checkPositive("width", width, name);
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("Dataset '" + name + "': pixel array has " + pixels.length
                    + " bytes, expected " + labels.length + " images x " + channels + "x" + height + "x" + width
                    + " = " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Dataset '" + name + "': label " + labels[i] + " of image " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        this.name = name;
        this.numClasses = numClasses;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** A dataset holding copies of {@code pixels} (NCHW bytes) and {@code labels}. */
    public static ImageDataset of(String name, int numClasses, int channels, int height, int width, byte[] pixels,
            int[] labels) {
        return new ImageDataset(name, numClasses, channels, height, width, pixels.clone(), labels.clone());
    }

    /** Takes ownership of freshly read arrays; readers use it to avoid copying a whole dataset. */
    static ImageDataset wrap(String name, int numClasses, int channels, int height, int width, byte[] pixels,
            int[] labels) {
        return new ImageDataset(name, numClasses, channels, height, width, pixels, labels);
    }

    public String name() {
        return name;
    }

    public int numClasses() {
        return numClasses;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Bytes per image: channels x height x width. */
    public int imageSize() {
        return channels * height * width;
    }

    public int label(int image) {
        Objects.checkIndex(image, labels.length);
        return labels[image];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** One pixel as 0..255. */
    public int pixel(int image, int channel, int y, int x) {
        Objects.checkIndex(image, labels.length);
        Objects.checkIndex(channel, channels);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return pixels[((image * channels + channel) * height + y) * width + x] & 0xFF;
    }

    /** Copies image {@code image} (CHW bytes) into {@code dst} at {@code offset}. */
    public void copyImage(int image, byte[] dst, int offset) {
        Objects.checkIndex(image, labels.length);
        System.arraycopy(pixels, image * imageSize(), dst, offset, imageSize());
    }

    /** How many images each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The first {@code count} images, in order; {@code this} when count equals the size. */
    public ImageDataset first(int count) {
        if (count < 0 || count > size()) {
            throw new IllegalArgumentException("Invalid value " + count + " for subset size of dataset '" + name
                    + "': must be in [0, " + size() + "]");
        }
        if (count == size()) {
            return this;
        }
        byte[] subPixels = Arrays.copyOf(pixels, count * imageSize());
        int[] subLabels = Arrays.copyOf(labels, count);
        return new ImageDataset(name + "[0.." + count + ")", numClasses, channels, height, width, subPixels,
                subLabels);
    }

    /** Same number of classes and image shape; the precondition for training and evaluating together. */
    public boolean isCompatibleWith(ImageDataset other) {
        return numClasses == other.numClasses && channels == other.channels && height == other.height
                && width == other.width;
    }

    /** The backing array, not copied: for the batch materialiser in this package only. */
    byte[] pixelArray() {
        return pixels;
    }

    /** The backing array, not copied: for the batch materialiser in this package only. */
    int[] labelArray() {
        return labels;
    }

    /** Shape and size, e.g. {@code fashion-mnist/train: 60000 x 1x28x28, 10 classes}. */
    @Override
    public String toString() {
        return name + ": " + size() + " x " + channels + "x" + height + "x" + width + ", " + numClasses + " classes";
    }

    private static void checkPositive(String setting, int value, String dataset) {
        if (value <= 0) {
            throw new IllegalArgumentException("Invalid value " + value + " for " + setting + " of dataset '"
                    + dataset + "': must be > 0");
        }
    }
}
