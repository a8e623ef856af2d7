package org.ocsp.modelops.data;

import java.util.SplittableRandom;

/**
 * A random transformation of one training image, applied to the raw bytes before
 * normalisation (so padding is black, pixel 0, as in torchvision).
 *
 * <pre>{@code
 * Augmentation cifar = Augmentation.randomCropAndFlip(4, 0.5);
 * Augmentation plain = Augmentation.none();
 * }</pre>
 *
 * <p>Implementations must take all their randomness from the {@code rng} argument: the batch
 * sequence gives every (seed, epoch, image) its own generator, which is what makes a batch
 * reproducible on replay and independent of the batch size and of which batches were
 * materialised before it.
 */
public interface Augmentation {
    /**
     * Writes a transformed copy of the CHW image at {@code src[srcOffset...]} into
     * {@code dst[dstOffset...]}; both regions hold {@code channels * height * width} bytes
     * and must not overlap.
     */
    void apply(byte[] src, int srcOffset, byte[] dst, int dstOffset, int channels, int height, int width,
            SplittableRandom rng);

    /** True if {@link #apply} is a plain copy; lets the materialiser skip the copy. */
    default boolean isIdentity() {
        return false;
    }

    /** Leaves images unchanged. */
    static Augmentation none() {
        return NoAugmentation.INSTANCE;
    }

    /**
     * Pads by {@code padding} black pixels on every side, crops back to the original size at a
     * uniformly random position, then mirrors left-right with probability
     * {@code flipProbability} (torchvision: {@code RandomCrop(size, padding)} +
     * {@code RandomHorizontalFlip(p)}).
     */
    static Augmentation randomCropAndFlip(int padding, double flipProbability) {
        return new RandomCropFlip(padding, flipProbability);
    }
}
