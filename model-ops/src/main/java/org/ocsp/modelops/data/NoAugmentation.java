package org.ocsp.modelops.data;

import java.util.SplittableRandom;

/** The identity augmentation; a singleton so that {@code none()} compares equal to itself. */
enum NoAugmentation implements Augmentation {
    INSTANCE;

    @Override
    public void apply(byte[] src, int srcOffset, byte[] dst, int dstOffset, int channels, int height, int width,
            SplittableRandom rng) {
        System.arraycopy(src, srcOffset, dst, dstOffset, channels * height * width);
    }

    @Override
    public boolean isIdentity() {
        return true;
    }

    @Override
    public String toString() {
        return "none";
    }
}
