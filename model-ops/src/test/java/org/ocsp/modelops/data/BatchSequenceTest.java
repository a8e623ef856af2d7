package org.ocsp.modelops.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSequenceTest {
    private static final Normalization NORM = Normalization.of(0.25, 0.5);

    /** Labels are image indices, so a batch's labels say which images it holds. */
    private static DatasetSplits indexedData(int train, int test) {
        int classes = Math.max(train, test);
        return new DatasetSplits(Fixtures.indexed("train", train, classes, 1, 3, 3),
                Fixtures.indexed("test", test, classes, 1, 3, 3));
    }

    private static BatchSequence.Builder builder(DatasetSplits data, int batchSize, long seed) {
        return BatchSequence.builder().setData(data).setNormalization(NORM).setBatchSize(batchSize).setSeed(seed);
    }

    private static List<Batch> collect(Iterable<Batch> batches, int limit) {
        List<Batch> out = new ArrayList<>();
        Iterator<Batch> it = batches.iterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }

    private static String layout(Iterable<Batch> batches) {
        StringBuilder sb = new StringBuilder();
        for (Batch b : batches) {
            sb.append(b.epoch()).append(b.split() == Split.TRAIN ? "T" : "E").append(b.index()).append(':')
                    .append(b.size()).append(' ');
        }
        return sb.toString().trim();
    }

    /** The normalised, un-augmented features of one image, computed the slow obvious way. */
    private static float[] expectedFeatures(ImageDataset d, int image, Normalization n) {
        float[] f = new float[d.imageSize()];
        int k = 0;
        for (int c = 0; c < d.channels(); c++) {
            for (int y = 0; y < d.height(); y++) {
                for (int x = 0; x < d.width(); x++) {
                    f[k++] = (float) ((d.pixel(image, c, y, x) / 255.0 - n.mean(c)) / n.std(c));
                }
            }
        }
        return f;
    }

    private static float[] sample(Batch b, int k) {
        return Arrays.copyOfRange(b.features(), k * b.featuresPerSample(), (k + 1) * b.featuresPerSample());
    }

    @Test
    void epochIsAllTrainBatchesThenAllEvalBatchesKeepingPartialOnes() {
        BatchSequence seq = builder(indexedData(10, 7), 4, 1).build();

        assertEquals("3T0:4 3T1:4 3T2:2 3E0:4 3E1:3", layout(seq.batches(3)));
        assertEquals(3, seq.batchCount(Split.TRAIN));
        assertEquals(2, seq.batchCount(Split.EVAL));
        assertEquals(5, seq.batches(3).totalBatchCount());
    }

    @Test
    void dropLastDropsOnlyThePartialTrainBatch() {
        BatchSequence seq = builder(indexedData(10, 7), 4, 1).optDropLast(true).build();

        assertEquals("0T0:4 0T1:4 0E0:4 0E1:3", layout(seq.batches(0)));
    }

    @Test
    void everyTrainImageAppearsExactlyOncePerEpochWithItsOwnPixels() {
        DatasetSplits data = indexedData(103, 5);
        BatchSequence seq = builder(data, 10, 7).build();

        for (int epoch = 0; epoch < 4; epoch++) {
            int[] seen = new int[103];
            for (Batch b : seq.batches(epoch)) {
                if (b.split() != Split.TRAIN) {
                    continue;
                }
                for (int k = 0; k < b.size(); k++) {
                    int image = b.labels()[k];
                    seen[image]++;
                    assertArrayEquals(expectedFeatures(data.train(), image, NORM), sample(b, k));
                }
            }
            int[] once = new int[103];
            Arrays.fill(once, 1);
            assertArrayEquals(once, seen, "epoch " + epoch);
        }
    }

    @Test
    void trainOrderIsShuffledNotFileOrder() {
        int[] order = builder(indexedData(100, 1), 10, 7).build().batches(0).trainOrder();

        int inPlace = 0;
        for (int i = 0; i < order.length; i++) {
            inPlace += order[i] == i ? 1 : 0;
        }
        assertTrue(inPlace < 10, inPlace + " of 100 images kept their position");
    }

    @Test
    void evalBatchesHoldTheTestSetInFileOrderForEveryEpochAndSeed() {
        DatasetSplits data = indexedData(20, 11);
        List<Batch> reference = null;
        for (long seed : new long[] {1, 2}) {
            BatchSequence seq = builder(data, 4, seed).optAugmentation(new RandomCropFlip(1, 0.5)).build();
            for (int epoch = 0; epoch < 3; epoch++) {
                List<Batch> eval = new ArrayList<>();
                List<Integer> labels = new ArrayList<>();
                for (Batch b : seq.batches(epoch)) {
                    if (b.split() == Split.EVAL) {
                        eval.add(new Batch(0, b.split(), b.index(), b.size(), b.channels(), b.height(), b.width(),
                                b.features(), b.labels()));
                        for (int k = 0; k < b.size(); k++) {
                            labels.add(b.labels()[k]);
                            assertArrayEquals(expectedFeatures(data.test(), b.labels()[k], NORM), sample(b, k),
                                    "eval images are never augmented");
                        }
                    }
                }
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), labels);
                if (reference == null) {
                    reference = eval;
                }
                assertEquals(reference, eval);
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalBatchesAcrossSeparateInstances() {
        DatasetSplits data = indexedData(50, 9);
        BatchSequence a = builder(data, 8, 42).optAugmentation(new RandomCropFlip(1, 0.5)).build();
        BatchSequence b = builder(data, 8, 42).optAugmentation(new RandomCropFlip(1, 0.5)).build();

        List<Batch> first = collect(a.epochs(0, 3), Integer.MAX_VALUE);

        assertEquals(3 * (7 + 2), first.size());
        assertEquals(first, collect(b.epochs(0, 3), Integer.MAX_VALUE));
    }

    @Test
    void differentSeedsAndDifferentEpochsShuffleDifferently() {
        DatasetSplits data = indexedData(50, 1);
        BatchSequence seed1 = builder(data, 8, 1).build();
        BatchSequence seed2 = builder(data, 8, 2).build();

        assertFalse(Arrays.equals(seed1.batches(0).trainOrder(), seed2.batches(0).trainOrder()));
        assertFalse(Arrays.equals(seed1.batches(0).trainOrder(), seed1.batches(1).trainOrder()));
        assertNotEquals(seed1.batches(0).batch(Split.TRAIN, 0), seed2.batches(0).batch(Split.TRAIN, 0));
    }

    /** Recorded from the first implementation; see the test below before changing them. */
    private static final int[] GOLDEN_EPOCH_0 = {7, 6, 4, 8, 1, 9, 5, 2, 3, 0};
    private static final int[] GOLDEN_EPOCH_5 = {4, 2, 1, 3, 7, 0, 5, 9, 6, 8};

    /**
     * Pins the batch order of seed 42 so that a change to the seed derivation or the shuffle,
     * which would silently change every run's data, fails here instead.
     */
    @Test
    void trainOrderForAGivenSeedAndEpochIsStableAcrossReleases() {
        BatchSequence seq = builder(indexedData(10, 1), 4, 42).build();

        assertArrayEquals(GOLDEN_EPOCH_0, seq.batches(0).trainOrder());
        assertArrayEquals(GOLDEN_EPOCH_5, seq.batches(5).trainOrder());
    }

    @Test
    void randomAccessToAnEpochEqualsThatEpochOfTheIterator() {
        BatchSequence seq = builder(indexedData(30, 5), 7, 9).optAugmentation(new RandomCropFlip(1, 0.5)).build();
        int perEpoch = seq.batches(0).totalBatchCount();

        List<Batch> iterated = collect(seq.epochs(0, 4), Integer.MAX_VALUE);
        List<Batch> epoch2 = collect(seq.batches(2), Integer.MAX_VALUE);

        assertEquals(4 * perEpoch, iterated.size());
        assertEquals(iterated.subList(2 * perEpoch, 3 * perEpoch), epoch2);
        assertEquals(iterated.subList(2 * perEpoch, 4 * perEpoch), collect(seq.epochs(2, 2), Integer.MAX_VALUE));
    }

    @Test
    void endlessIteratorRunsPastAnyFixedNumberOfEpochsWithTheSameBatches() {
        BatchSequence seq = builder(indexedData(9, 2), 4, 3).build();
        int perEpoch = seq.batches(0).totalBatchCount();

        List<Batch> endless = collect(seq.endless(0), 25 * perEpoch);

        assertEquals(25 * perEpoch, endless.size());
        assertEquals(collect(seq.epochs(0, 25), Integer.MAX_VALUE), endless);
        assertEquals(24, endless.get(endless.size() - 1).epoch());
        assertTrue(seq.endless(7).iterator().hasNext());
        assertEquals(7, seq.endless(7).iterator().next().epoch());
    }

    @Test
    void batchesMaterialisedOutOfOrderAreTheSameAsInOrder() {
        BatchSequence seq = builder(indexedData(30, 5), 7, 9).optAugmentation(new RandomCropFlip(1, 0.5)).build();
        List<Batch> inOrder = collect(seq.batches(1), Integer.MAX_VALUE);

        EpochBatches epoch = seq.batches(1);
        Batch third = epoch.batch(Split.TRAIN, 3);
        Batch first = epoch.batch(Split.TRAIN, 0);

        assertEquals(inOrder.get(3), third);
        assertEquals(inOrder.get(0), first);
    }

    @Test
    void fillWritesTheSameDataAsBatchAndReportsPartialSize() {
        BatchSequence seq = builder(indexedData(10, 3), 4, 5).optAugmentation(new RandomCropFlip(1, 0.5)).build();
        EpochBatches epoch = seq.batches(2);
        float[] features = new float[seq.batchSize() * seq.featuresPerSample()];
        int[] labels = new int[seq.batchSize()];
        Arrays.fill(features, 123f);
        Arrays.fill(labels, -1);

        int n = epoch.fill(Split.TRAIN, 2, features, labels);

        Batch expected = epoch.batch(Split.TRAIN, 2);
        assertEquals(2, n);
        assertArrayEquals(expected.features(), Arrays.copyOf(features, n * seq.featuresPerSample()));
        assertArrayEquals(expected.labels(), Arrays.copyOf(labels, n));
        assertEquals(123f, features[n * seq.featuresPerSample()], "entries past the batch stay untouched");
        assertEquals(-1, labels[n]);
    }

    @Test
    void fillRejectsBuffersTooSmallForTheBatch() {
        BatchSequence seq = builder(indexedData(10, 3), 4, 5).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> seq.batches(0).fill(Split.TRAIN, 0, new float[35], new int[4]));

        assertEquals("Buffers too small for TRAIN batch 0 of epoch 0: need 36 floats and 4 labels, got 35 and 4",
                e.getMessage());
    }

    @Test
    void imageAugmentationDependsOnSeedEpochAndImageButNotOnBatchSize() {
        DatasetSplits data = new DatasetSplits(Fixtures.indexed("train", 40, 1, 8, 8),
                Fixtures.indexed("test", 40, 1, 8, 8).first(1));
        Augmentation aug = new RandomCropFlip(2, 0.5);
        float[][] bySmall = featuresByImage(builder(data, 3, 11).optAugmentation(aug).build().batches(4), 40);
        float[][] byLarge = featuresByImage(builder(data, 16, 11).optAugmentation(aug).build().batches(4), 40);
        float[][] nextEpoch = featuresByImage(builder(data, 16, 11).optAugmentation(aug).build().batches(5), 40);

        int changed = 0;
        for (int image = 0; image < 40; image++) {
            assertArrayEquals(bySmall[image], byLarge[image], "image " + image);
            changed += Arrays.equals(byLarge[image], nextEpoch[image]) ? 0 : 1;
        }
        assertTrue(changed > 30, "only " + changed + " of 40 images were augmented differently in the next epoch");
    }

    private static float[][] featuresByImage(EpochBatches epoch, int images) {
        float[][] out = new float[images][];
        for (Batch b : epoch) {
            if (b.split() == Split.TRAIN) {
                for (int k = 0; k < b.size(); k++) {
                    out[b.labels()[k]] = sample(b, k);
                }
            }
        }
        return out;
    }

    @Test
    void paddingIsBlackBeforeNormalisationSoBorderBecomesMinusMeanOverStd() {
        byte[] white = new byte[20 * 3 * 8 * 8];
        Arrays.fill(white, (byte) 255);
        ImageDataset train = ImageDataset.of("white", 10, 3, 8, 8, white, new int[20]);
        BatchSequence seq = BatchSequence.builder().setData(new DatasetSplits(train, train.first(1)))
                .setNormalization(Cifar10.NORMALIZATION).setBatchSize(20).setSeed(3)
                .optAugmentation(Cifar10.TRAIN_AUGMENTATION).build();

        Batch b = seq.batches(0).batch(Split.TRAIN, 0);

        int black = 0;
        for (int k = 0; k < b.size(); k++) {
            for (int c = 0; c < 3; c++) {
                float padValue = (float) ((0 - Cifar10.NORMALIZATION.mean(c)) / Cifar10.NORMALIZATION.std(c));
                float whiteValue = (float) ((1 - Cifar10.NORMALIZATION.mean(c)) / Cifar10.NORMALIZATION.std(c));
                for (int p = 0; p < 64; p++) {
                    float v = b.features()[(k * 3 + c) * 64 + p];
                    assertTrue(v == padValue || v == whiteValue, "unexpected value " + v);
                    black += v == padValue ? 1 : 0;
                }
            }
        }
        assertTrue(black > 0, "a 4-pixel padded crop of 20 images shows some padding");
    }

    @Test
    void builderReportsEveryMissingSettingAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchSequence.builder().build());

        assertTrue(e.getMessage().contains("data is required (setData)"), e.getMessage());
        assertTrue(e.getMessage().contains("normalization is required (setNormalization)"), e.getMessage());
        assertTrue(e.getMessage().contains("batchSize is required (setBatchSize)"), e.getMessage());
        assertTrue(e.getMessage().contains("seed is required (setSeed)"), e.getMessage());
    }

    @Test
    void builderRejectsInconsistentSettings() {
        DatasetSplits grey = indexedData(10, 2);

        String channels = assertThrows(IllegalArgumentException.class, () -> builder(grey, 4, 1)
                .setNormalization(Cifar10.NORMALIZATION).build()).getMessage();
        String batch = assertThrows(IllegalArgumentException.class, () -> builder(grey, 0, 1).build()).getMessage();
        String dropLast = assertThrows(IllegalArgumentException.class,
                () -> builder(grey, 11, 1).optDropLast(true).build()).getMessage();

        assertTrue(channels.contains("normalization has 3 channels but the images have 1"), channels);
        assertTrue(batch.contains("Invalid value 0 for batchSize: must be > 0"), batch);
        assertTrue(dropLast.contains("with dropLast it must be <= the 10 training images"), dropLast);
    }

    @Test
    void epochsAreNumberedFromZero() {
        BatchSequence seq = builder(indexedData(10, 2), 4, 1).build();

        assertThrows(IllegalArgumentException.class, () -> seq.batches(-1));
        assertThrows(IllegalArgumentException.class, () -> seq.epochs(-1, 2));
        assertEquals(0, seq.epochs(0, 1).iterator().next().epoch());
        assertFalse(seq.epochs(3, 0).iterator().hasNext());
    }
}
