package org.ocsp.modelops.data;

import java.util.SplittableRandom;

/**
 * Turns dataset images into the float features of a batch: optional augmentation on the raw
 * bytes, then normalisation by table look-up. No boxing and, without augmentation, no
 * allocation at all.
 */
final class BatchMaterializer {
    private final ImageDataset data;
    private final Normalization normalization;
    private final Augmentation augmentation;

    BatchMaterializer(ImageDataset data, Normalization normalization, Augmentation augmentation) {
        this.data = data;
        this.normalization = normalization;
        this.augmentation = augmentation;
    }

    /**
     * Fills {@code features} and {@code labels} with the images {@code order[from..from+count)}.
     * Each image's augmentation generator depends only on (seed, epoch, image index).
     */
    void fill(int[] order, int from, int count, long seed, int epoch, float[] features, int[] labels) {
        byte[] pixels = data.pixelArray();
        int[] allLabels = data.labelArray();
        int imageSize = data.imageSize();
        int channels = data.channels();
        int height = data.height();
        int width = data.width();
        // One image of scratch per call, not per image: the batch is what the hot loop reuses.
        byte[] scratch = augmentation.isIdentity() ? null : new byte[imageSize];
        for (int k = 0; k < count; k++) {
            int image = order[from + k];
            labels[k] = allLabels[image];
            if (scratch == null) {
                normalize(pixels, image * imageSize, features, k * imageSize);
            } else {
                SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Seeds.AUGMENT, epoch, image));
                augmentation.apply(pixels, image * imageSize, scratch, 0, channels, height, width, rng);
                normalize(scratch, 0, features, k * imageSize);
            }
        }
    }

    private void normalize(byte[] src, int srcOffset, float[] dst, int dstOffset) {
        int plane = data.height() * data.width();
        for (int c = 0; c < data.channels(); c++) {
            float[] table = normalization.table(c);
            int s = srcOffset + c * plane;
            int d = dstOffset + c * plane;
            for (int p = 0; p < plane; p++) {
                dst[d + p] = table[src[s + p] & 0xFF];
            }
        }
    }
}
