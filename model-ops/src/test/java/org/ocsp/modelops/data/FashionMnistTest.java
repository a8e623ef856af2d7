package org.ocsp.modelops.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real files of the Debian package dataset-fashion-mnist, plus loader errors on fixtures. */
class FashionMnistTest {
    private static DatasetSplits real;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadRealFilesOnce() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR),
                "Debian package dataset-fashion-mnist is not installed");
        real = FashionMnist.load();
    }

    @Test
    void realFilesHoldSixtyThousandTrainAndTenThousandTestImagesOf28x28() {
        assertEquals(60_000, real.train().size());
        assertEquals(10_000, real.test().size());
        assertEquals(1, real.channels());
        assertEquals(28, real.height());
        assertEquals(28, real.width());
        assertEquals(10, real.numClasses());
    }

    @Test
    void realTrainSetHasSixThousandImagesPerClassAndTestSetOneThousand() {
        int[] sixThousand = new int[10];
        int[] oneThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        Arrays.fill(oneThousand, 1000);

        assertArrayEquals(sixThousand, real.train().classCounts());
        assertArrayEquals(oneThousand, real.test().classCounts());
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(real.train().label(0)));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(real.test().labels(), 10));
    }

    @Test
    void defaultNormalisationMatchesTheRealTrainingPixelStatistics() {
        byte[] pixels = real.train().pixelArray();
        double sum = 0;
        double sumSquares = 0;
        for (byte b : pixels) {
            double v = (b & 0xFF) / 255.0;
            sum += v;
            sumSquares += v * v;
        }
        double mean = sum / pixels.length;
        double std = Math.sqrt(sumSquares / pixels.length - mean * mean);

        assertEquals(FashionMnist.NORMALIZATION.mean(0), mean, 1e-3);
        assertEquals(FashionMnist.NORMALIZATION.std(0), std, 1e-3);
    }

    @Test
    void firstEvalBatchOfRealDataIsTheFirstTestImagesNormalised() {
        BatchSequence seq = BatchSequence.builder().setData(real).setNormalization(FashionMnist.NORMALIZATION)
                .setBatchSize(128).setSeed(1).build();

        Batch b = seq.batches(0).batch(Split.EVAL, 0);

        assertEquals(469, seq.batchCount(Split.TRAIN));
        assertEquals(79, seq.batchCount(Split.EVAL));
        assertArrayEquals(Arrays.copyOf(real.test().labels(), 128), b.labels());
        int image = 100;
        float expected = (float) ((real.test().pixel(image, 0, 14, 14) / 255.0 - 0.2860) / 0.3530);
        assertEquals(expected, b.features()[image * 784 + 14 * 28 + 14], 1e-6);
    }

    @Test
    void subsetKeepsTheFirstImagesOfEachSplit() {
        DatasetSplits small = real.first(1000, 200);

        assertEquals(1000, small.train().size());
        assertEquals(200, small.test().size());
        assertEquals(real.train().label(999), small.train().label(999));
        assertEquals(real.test().pixel(199, 0, 10, 10), small.test().pixel(199, 0, 10, 10));
    }

    @Test
    void loadsPlainUncompressedFilesToo() throws IOException {
        int[] trainLabels = {0, 9, 4};
        Fixtures.writeIdxImages(dir.resolve("train-images-idx3-ubyte"), 3, 2, 2, Fixtures.patternBytes(12, 1), false);
        Fixtures.writeIdxLabels(dir.resolve("train-labels-idx1-ubyte"), trainLabels, false);
        Fixtures.writeIdxImages(dir.resolve("t10k-images-idx3-ubyte.gz"), 1, 2, 2, Fixtures.patternBytes(4, 2), true);
        Fixtures.writeIdxLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {5}, true);

        DatasetSplits data = FashionMnist.load(dir);

        assertArrayEquals(trainLabels, data.train().labels());
        assertEquals(Fixtures.patternBytes(12, 1)[11] & 0xFF, data.train().pixel(2, 0, 1, 1));
        assertArrayEquals(new int[] {5}, data.test().labels());
    }

    @Test
    void rejectsLabelCountThatDiffersFromImageCount() throws IOException {
        Fixtures.writeIdxImages(dir.resolve("train-images-idx3-ubyte.gz"), 3, 2, 2, new byte[12], true);
        Path labels = Fixtures.writeIdxLabels(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {1, 2}, true);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> FashionMnist.load(dir));

        assertEquals(labels, e.file());
        assertTrue(e.getMessage().contains("2 labels but"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 3 images"), e.getMessage());
    }

    @Test
    void rejectsLabelAboveNineNamingTheLabelFile() throws IOException {
        Fixtures.writeIdxImages(dir.resolve("train-images-idx3-ubyte.gz"), 2, 2, 2, new byte[8], true);
        Fixtures.writeIdxLabels(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {1, 10}, true);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().endsWith("label 10 at index 1 is outside [0, 10)"), e.getMessage());
    }

    @Test
    void missingFilesPointToTheDebianPackage() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("train-images-idx3-ubyte(.gz) not found in " + dir), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }
}
