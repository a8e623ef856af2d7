package org.ocsp.modelops.data;

/**
 * Derives independent generator seeds from (run seed, purpose, epoch, item) so that any
 * epoch, batch or image can be reproduced on its own, without replaying what came before.
 *
 * <p>Each input is absorbed through the SplitMix64 finaliser ({@link java.util.SplittableRandom}
 * uses the same one), which spreads a one-bit change over all 64 bits; neighbouring seeds and
 * epochs therefore give unrelated streams. Changing this function changes every batch order
 * ever produced: the golden-value test in BatchSequenceTest guards it.
 */
final class Seeds {
    /** Purposes, so that the shuffle and the augmentation of the same epoch draw unrelated numbers. */
    static final long SHUFFLE = 1;
    static final long AUGMENT = 2;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    static long derive(long seed, long purpose, long epoch, long item) {
        long h = mix64(seed + GOLDEN_GAMMA);
        h = mix64(h ^ mix64(purpose + GOLDEN_GAMMA));
        h = mix64(h ^ mix64(epoch + 2 * GOLDEN_GAMMA));
        return mix64(h ^ mix64(item + 3 * GOLDEN_GAMMA));
    }

    /** SplitMix64 finaliser (Stafford variant 13). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
