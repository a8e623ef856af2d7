package org.ocsp.modelops.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageDatasetTest {
    @Test
    void pixelIndexesNchwLayout() {
        byte[] pixels = Fixtures.patternBytes(2 * 3 * 4 * 5, 0);
        ImageDataset d = ImageDataset.of("d", 2, 3, 4, 5, pixels, new int[] {0, 1});

        assertEquals(pixels[((1 * 3 + 2) * 4 + 3) * 5 + 4] & 0xFF, d.pixel(1, 2, 3, 4));
        assertEquals(60, d.imageSize());
    }

    @Test
    void copiesInputSoLaterChangesDoNotLeakIn() {
        byte[] pixels = new byte[4];
        int[] labels = {0};
        ImageDataset d = ImageDataset.of("d", 2, 1, 2, 2, pixels, labels);

        pixels[0] = 5;
        labels[0] = 1;
        d.labels()[0] = 1;

        assertEquals(0, d.pixel(0, 0, 0, 0));
        assertEquals(0, d.label(0));
    }

    @Test
    void rejectsLabelOutsideClassRangeNamingImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.of("d", 3, 1, 1, 1, new byte[2], new int[] {2, 3}));

        assertEquals("Dataset 'd': label 3 of image 1 is outside [0, 3)", e.getMessage());
    }

    @Test
    void rejectsPixelCountThatDoesNotMatchShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.of("d", 3, 1, 2, 2, new byte[7], new int[] {0, 1}));

        assertTrue(e.getMessage().contains("pixel array has 7 bytes, expected 2 images x 1x2x2 = 8"),
                e.getMessage());
    }

    @Test
    void firstKeepsTheLeadingImagesInOrder() {
        ImageDataset d = Fixtures.indexed("d", 10, 1, 2, 2);

        ImageDataset head = d.first(4);

        assertArrayEquals(new int[] {0, 1, 2, 3}, head.labels());
        assertEquals(d.pixel(3, 0, 1, 1), head.pixel(3, 0, 1, 1));
        assertEquals(10, head.numClasses());
        assertSame(d, d.first(10));
        assertThrows(IllegalArgumentException.class, () -> d.first(11));
    }

    @Test
    void classCountsCountEachLabel() {
        ImageDataset d = ImageDataset.of("d", 4, 1, 1, 1, new byte[5], new int[] {3, 0, 3, 3, 1});

        assertArrayEquals(new int[] {1, 1, 0, 3}, d.classCounts());
    }

    @Test
    void splitsRejectTestSetOfAnotherShape() {
        ImageDataset train = Fixtures.indexed("train", 4, 1, 2, 2);
        ImageDataset test = ImageDataset.of("test", 4, 1, 3, 3, new byte[9], new int[] {0});

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DatasetSplits(train, test));

        assertTrue(e.getMessage().startsWith("Train and test sets do not match"), e.getMessage());
    }
}
