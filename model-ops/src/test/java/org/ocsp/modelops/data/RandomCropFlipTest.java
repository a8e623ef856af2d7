package org.ocsp.modelops.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomCropFlipTest {
    private static final int C = 2;
    private static final int H = 5;
    private static final int W = 7;

    /** Every pixel distinct and non-zero, so its value tells where it came from. */
    private static byte[] labelledImage() {
        byte[] image = new byte[C * H * W];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i + 1);
        }
        return image;
    }

    private static byte[] apply(Augmentation aug, byte[] src, long seed) {
        byte[] dst = new byte[src.length];
        aug.apply(src, 0, dst, 0, C, H, W, new SplittableRandom(seed));
        return dst;
    }

    @Test
    void forcedFlipWithoutPaddingMirrorsEveryRowExactly() {
        byte[] src = labelledImage();

        byte[] out = apply(new RandomCropFlip(0, 1.0), src, 11);

        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    assertEquals(src[(c * H + y) * W + (W - 1 - x)], out[(c * H + y) * W + x]);
                }
            }
        }
    }

    @Test
    void noPaddingAndNoFlipIsTheIdentity() {
        byte[] src = labelledImage();

        assertArrayEquals(src, apply(new RandomCropFlip(0, 0.0), src, 5));
    }

    @Test
    void everyOutputIsAShiftWithinThePaddingFilledWithZerosOutsideTheSource() {
        int padding = 2;
        byte[] src = labelledImage();
        Set<String> shiftsSeen = new HashSet<>();
        int flips = 0;
        int draws = 2000;
        for (long seed = 0; seed < draws; seed++) {
            byte[] out = apply(new RandomCropFlip(padding, 0.5), src, seed);
            Shift s = findShift(src, out, padding);
            shiftsSeen.add(s.dy + "," + s.dx);
            flips += s.flip ? 1 : 0;
        }
        assertEquals((2 * padding + 1) * (2 * padding + 1), shiftsSeen.size(), "every offset in [-2, 2]^2 occurs");
        assertTrue(flips > 0.45 * draws && flips < 0.55 * draws, "flipped " + flips + " of " + draws);
    }

    @Test
    void appliesToImagesAtOffsetsWithoutTouchingNeighbours() {
        byte[] src = new byte[3 * C * H * W];
        System.arraycopy(labelledImage(), 0, src, C * H * W, C * H * W);
        byte[] dst = new byte[3 * C * H * W];
        Arrays.fill(dst, (byte) 99);

        new RandomCropFlip(1, 0.5).apply(src, C * H * W, dst, 2 * C * H * W, C, H, W, new SplittableRandom(3));

        for (int i = 0; i < 2 * C * H * W; i++) {
            assertEquals(99, dst[i]);
        }
        findShift(labelledImage(), Arrays.copyOfRange(dst, 2 * C * H * W, dst.length), 1);
    }

    @Test
    void rejectsNegativePaddingAndProbabilityOutsideUnitInterval() {
        assertEquals("Invalid value -1 for padding: must be >= 0",
                assertThrows(IllegalArgumentException.class, () -> new RandomCropFlip(-1, 0.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RandomCropFlip(4, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new RandomCropFlip(4, Double.NaN));
    }

    private record Shift(int dy, int dx, boolean flip) {
    }

    /** The one (dy, dx, flip) that explains {@code out} exactly; fails if none does. */
    private static Shift findShift(byte[] src, byte[] out, int padding) {
        for (int dy = -padding; dy <= padding; dy++) {
            for (int dx = -padding; dx <= padding; dx++) {
                for (boolean flip : new boolean[] {false, true}) {
                    if (matches(src, out, dy, dx, flip)) {
                        return new Shift(dy, dx, flip);
                    }
                }
            }
        }
        fail("output is no padded crop (+flip) of the source within padding " + padding);
        return null;
    }

    private static boolean matches(byte[] src, byte[] out, int dy, int dx, boolean flip) {
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int cx = flip ? W - 1 - x : x;
                    int sy = y + dy;
                    int sx = cx + dx;
                    int expected = sy >= 0 && sy < H && sx >= 0 && sx < W ? src[(c * H + sy) * W + sx] : 0;
                    if (out[(c * H + y) * W + x] != expected) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
