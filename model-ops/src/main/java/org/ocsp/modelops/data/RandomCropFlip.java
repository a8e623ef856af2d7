package org.ocsp.modelops.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random crop with zero padding followed by a random horizontal flip, the standard CIFAR
 * training augmentation.
 *
 * <pre>{@code
 * Augmentation aug = new RandomCropFlip(4, 0.5);   // same as Augmentation.randomCropAndFlip(4, 0.5)
 * }</pre>
 *
 * <p>The crop offset is drawn uniformly from {@code [-padding, padding]} on each axis: an
 * output pixel {@code (y, x)} comes from the source pixel {@code (y + dy, x + dx)}, or is 0
 * where that lies in the padding. Padding is done implicitly, without building the padded
 * image. Per image the generator is asked for exactly: the row offset, the column offset, then
 * the flip decision.
 *
 * @param padding         pixels of zero padding on each side, >= 0 (0: flip only)
 * @param flipProbability chance of mirroring, in [0, 1] (0: never, 1: always)
 */
public record RandomCropFlip(int padding, double flipProbability) implements Augmentation {
    public RandomCropFlip {
        if (padding < 0) {
            throw new IllegalArgumentException("Invalid value " + padding + " for padding: must be >= 0");
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("Invalid value " + flipProbability
                    + " for flipProbability: must be in [0, 1]");
        }
    }

    @Override
    public void apply(byte[] src, int srcOffset, byte[] dst, int dstOffset, int channels, int height, int width,
            SplittableRandom rng) {
        int span = 2 * padding + 1;
        int dy = rng.nextInt(span) - padding;
        int dx = rng.nextInt(span) - padding;
        boolean flip = rng.nextDouble() < flipProbability;
        // Columns x with 0 <= x + dx < width read the source; the rest is padding.
        int validFrom = Math.max(0, -dx);
        int validTo = Math.min(width, width - dx);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int out = dstOffset + (c * height + y) * width;
                int sy = y + dy;
                if (sy < 0 || sy >= height || validFrom >= validTo) {
                    Arrays.fill(dst, out, out + width, (byte) 0);
                    continue;
                }
                int in = srcOffset + (c * height + sy) * width;
                if (!flip) {
                    Arrays.fill(dst, out, out + validFrom, (byte) 0);
                    System.arraycopy(src, in + validFrom + dx, dst, out + validFrom, validTo - validFrom);
                    Arrays.fill(dst, out + validTo, out + width, (byte) 0);
                } else {
                    // Flip after crop: output column x shows cropped column width-1-x.
                    for (int x = 0; x < width; x++) {
                        int cx = width - 1 - x;
                        dst[out + x] = cx >= validFrom && cx < validTo ? src[in + cx + dx] : 0;
                    }
                }
            }
        }
    }
}
