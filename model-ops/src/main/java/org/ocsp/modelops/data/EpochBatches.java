package org.ocsp.modelops.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The batches of one epoch of a {@link BatchSequence}: all TRAIN batches (training set in
 * this epoch's shuffled order, augmented), then all EVAL batches (test set in file order).
 * Any batch can be materialised on its own, in any order, as often as wanted, always with the
 * same result.
 *
 * <pre>{@code
 * EpochBatches epoch = sequence.batches(7);            // no need to go through epochs 0..6
 * for (Batch b : epoch) { ... }                          // TRAIN 0..n-1, then EVAL 0..m-1
 * Batch resumeAt = epoch.batch(Split.TRAIN, 120);       // restart in the middle of an epoch
 *
 * float[] x = new float[sequence.batchSize() * sequence.featuresPerSample()];
 * int[] y = new int[sequence.batchSize()];
 * int n = epoch.fill(Split.TRAIN, 0, x, y);             // hot loop: reuse x and y
 * }</pre>
 */
public final class EpochBatches implements Iterable<Batch> {
    private final BatchSequence sequence;
    private final int epoch;
    private final int[] trainOrder;

    EpochBatches(BatchSequence sequence, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("Invalid value " + epoch + " for epoch: epochs are numbered from 0");
        }
        this.sequence = sequence;
        this.epoch = epoch;
        this.trainOrder = shuffledIndices(sequence.sampleCount(Split.TRAIN),
                new SplittableRandom(Seeds.derive(sequence.seed(), Seeds.SHUFFLE, epoch, 0)));
    }

    public int epoch() {
        return epoch;
    }

    /** Number of batches of {@code split} in this epoch (the same for every epoch). */
    public int batchCount(Split split) {
        return sequence.batchCount(split);
    }

    /** TRAIN plus EVAL batches. */
    public int totalBatchCount() {
        return sequence.batchCount(Split.TRAIN) + sequence.batchCount(Split.EVAL);
    }

    /** Samples in batch {@code index} of {@code split}: the batch size, or less for a last partial batch. */
    public int batchSize(Split split, int index) {
        Objects.checkIndex(index, batchCount(split));
        int start = index * sequence.batchSize();
        return Math.min(sequence.batchSize(), sequence.sampleCount(split) - start);
    }

    /** Training-set indices in this epoch's order (a copy); what the TRAIN batches contain, in turn. */
    public int[] trainOrder() {
        return trainOrder.clone();
    }

    /** Materialises batch {@code index} of {@code split} into new arrays. */
    public Batch batch(Split split, int index) {
        int size = batchSize(split, index);
        float[] features = new float[size * sequence.featuresPerSample()];
        int[] labels = new int[size];
        fill(split, index, features, labels);
        return new Batch(epoch, split, index, size, sequence.channels(), sequence.height(), sequence.width(),
                features, labels);
    }

    /**
     * Materialises batch {@code index} of {@code split} into the caller's arrays, from position
     * 0, and returns its number of samples; entries past that are left as they were. Buffers of
     * {@code batchSize * featuresPerSample} floats and {@code batchSize} ints fit every batch.
     */
    public int fill(Split split, int index, float[] features, int[] labels) {
        int size = batchSize(split, index);
        long neededFeatures = (long) size * sequence.featuresPerSample();
        if (features.length < neededFeatures || labels.length < size) {
            throw new IllegalArgumentException("Buffers too small for " + split + " batch " + index + " of epoch "
                    + epoch + ": need " + neededFeatures + " floats and " + size + " labels, got "
                    + features.length + " and " + labels.length);
        }
        int from = index * sequence.batchSize();
        if (split == Split.TRAIN) {
            sequence.trainMaterializer().fill(trainOrder, from, size, sequence.seed(), epoch, features, labels);
        } else {
            sequence.evalMaterializer().fill(sequence.evalOrder(), from, size, sequence.seed(), epoch, features,
                    labels);
        }
        return size;
    }

    /** TRAIN batches 0..n-1, then EVAL batches 0..m-1, each materialised when reached. */
    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            private Split split = Split.TRAIN;
            private int index;

            @Override
            public boolean hasNext() {
                if (split == Split.TRAIN && index >= batchCount(Split.TRAIN)) {
                    split = Split.EVAL;
                    index = 0;
                }
                return index < batchCount(split);
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("Epoch " + epoch + " has no more batches");
                }
                return batch(split, index++);
            }
        };
    }

    @Override
    public String toString() {
        return "EpochBatches{epoch=" + epoch + ", train=" + batchCount(Split.TRAIN) + ", eval="
                + batchCount(Split.EVAL) + " batches}";
    }

    /** Fisher-Yates: every permutation equally likely, one generator draw per position. */
    private static int[] shuffledIndices(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
