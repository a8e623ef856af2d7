package org.ocsp.modelops.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The deterministic stream of batches a run trains on: epoch after epoch, each epoch all
 * TRAIN batches then all EVAL batches (see {@link EpochBatches}). The offline trainer and
 * the Kafka publisher both read it, so for the same data and settings they see the same
 * floats in the same order.
 *
 * <pre>{@code
 * BatchSequence sequence = BatchSequence.builder()
 *         .setData(Cifar10.load(dir))
 *         .setNormalization(Cifar10.NORMALIZATION)
 *         .setBatchSize(128)
 *         .setSeed(42)
 *         .optAugmentation(Cifar10.TRAIN_AUGMENTATION)
 *         .build();
 * for (Batch b : sequence.epochs(0, 30)) { ... }     // epochs 0..29
 * for (Batch b : sequence.endless(5)) { ... }        // from epoch 5 on, for the publisher
 * EpochBatches replay = sequence.batches(12);         // one epoch, computed directly
 * }</pre>
 *
 * <p>Epoch {@code e}'s training order is a shuffle seeded from (seed, e); each training image's
 * augmentation is seeded from (seed, e, image index). Nothing depends on earlier epochs, on
 * which batches were materialised before, or on threads, which is what replay and restarts
 * need. Instances are immutable and can be shared between threads.
 */
public final class BatchSequence {
    private final DatasetSplits data;
    private final Normalization normalization;
    private final Augmentation augmentation;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;
    private final BatchMaterializer trainMaterializer;
    private final BatchMaterializer evalMaterializer;
    private final int[] evalOrder;

    private BatchSequence(Builder b) {
        this.data = b.data;
        this.normalization = b.normalization;
        this.augmentation = b.augmentation;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.trainMaterializer = new BatchMaterializer(data.train(), normalization, augmentation);
        this.evalMaterializer = new BatchMaterializer(data.test(), normalization, Augmentation.none());
        this.evalOrder = new int[data.test().size()];
        for (int i = 0; i < evalOrder.length; i++) {
            evalOrder[i] = i;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The batches of epoch {@code epoch} (from 0), without going through earlier epochs. */
    public EpochBatches batches(int epoch) {
        return new EpochBatches(this, epoch);
    }

    /** Epochs {@code firstEpoch .. firstEpoch + count - 1}, batch after batch. */
    public Iterable<Batch> epochs(int firstEpoch, int count) {
        if (firstEpoch < 0 || count < 0) {
            throw new IllegalArgumentException("Invalid epoch range: first " + firstEpoch + ", count " + count
                    + ": both must be >= 0");
        }
        return () -> new EpochChain(firstEpoch, (long) firstEpoch + count);
    }

    /**
     * Every epoch from {@code firstEpoch} on. Ends only after epoch {@code Integer.MAX_VALUE},
     * which no run will reach.
     */
    public Iterable<Batch> endless(int firstEpoch) {
        if (firstEpoch < 0) {
            throw new IllegalArgumentException("Invalid value " + firstEpoch + " for firstEpoch: must be >= 0");
        }
        return () -> new EpochChain(firstEpoch, Integer.MAX_VALUE + 1L);
    }

    /** Batches of {@code split} per epoch; TRAIN drops a last partial batch only with {@code dropLast}. */
    public int batchCount(Split split) {
        int samples = sampleCount(split);
        if (split == Split.TRAIN && dropLast) {
            return samples / batchSize;
        }
        return (int) (((long) samples + batchSize - 1) / batchSize);
    }

    /** Images in the training set (TRAIN) or the test set (EVAL). */
    public int sampleCount(Split split) {
        return split == Split.TRAIN ? data.train().size() : data.test().size();
    }

    public int batchSize() {
        return batchSize;
    }

    public long seed() {
        return seed;
    }

    public boolean dropLast() {
        return dropLast;
    }

    public DatasetSplits data() {
        return data;
    }

    public Normalization normalization() {
        return normalization;
    }

    public Augmentation augmentation() {
        return augmentation;
    }

    public int numClasses() {
        return data.numClasses();
    }

    public int channels() {
        return data.channels();
    }

    public int height() {
        return data.height();
    }

    public int width() {
        return data.width();
    }

    /** Floats per sample: channels x height x width. */
    public int featuresPerSample() {
        return data.train().imageSize();
    }

    BatchMaterializer trainMaterializer() {
        return trainMaterializer;
    }

    BatchMaterializer evalMaterializer() {
        return evalMaterializer;
    }

    int[] evalOrder() {
        return evalOrder;
    }

    @Override
    public String toString() {
        return "BatchSequence{train=" + data.train() + ", test=" + data.test() + ", batchSize=" + batchSize
                + ", seed=" + seed + ", dropLast=" + dropLast + ", augmentation=" + augmentation + ", "
                + normalization + "}";
    }

    /** Walks epochs [next, end) lazily; only the current epoch's shuffle is held. */
    private final class EpochChain implements Iterator<Batch> {
        private final long end;
        private long nextEpoch;
        private Iterator<Batch> current = Collections.emptyIterator();

        EpochChain(int first, long end) {
            this.nextEpoch = first;
            this.end = end;
        }

        @Override
        public boolean hasNext() {
            // The builder guarantees at least one TRAIN batch per epoch, so this loop ends.
            while (!current.hasNext() && nextEpoch < end) {
                current = batches((int) nextEpoch++).iterator();
            }
            return current.hasNext();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("No epochs left before epoch " + end);
            }
            return current.next();
        }
    }

    /**
     * Required: {@code setData}, {@code setNormalization}, {@code setBatchSize}, {@code setSeed}.
     * Optional: {@code optAugmentation} (default none), {@code optDropLast} (default false).
     * {@link #build()} reports every problem at once.
     */
    public static final class Builder {
        private DatasetSplits data;
        private Normalization normalization;
        private Augmentation augmentation = Augmentation.none();
        private int batchSize;
        private boolean batchSizeSet;
        private long seed;
        private boolean seedSet;
        private boolean dropLast;

        private Builder() {
        }

        public Builder setData(DatasetSplits data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        public Builder setNormalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            this.batchSizeSet = true;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            this.seedSet = true;
            return this;
        }

        /** Applied to TRAIN batches only; EVAL batches are never augmented. */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
            return this;
        }

        /** Drop the last TRAIN batch of an epoch when it is partial; EVAL batches always cover the test set. */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public BatchSequence build() {
            List<String> problems = new ArrayList<>();
            if (data == null) {
                problems.add("data is required (setData), e.g. FashionMnist.load()");
            }
            if (normalization == null) {
                problems.add("normalization is required (setNormalization), e.g. FashionMnist.NORMALIZATION");
            }
            if (!batchSizeSet) {
                problems.add("batchSize is required (setBatchSize)");
            } else if (batchSize <= 0) {
                problems.add("Invalid value " + batchSize + " for batchSize: must be > 0");
            }
            if (!seedSet) {
                problems.add("seed is required (setSeed): batch order and augmentation derive from it");
            }
            if (data != null && normalization != null && normalization.channels() != data.channels()) {
                problems.add("normalization has " + normalization.channels() + " channels but the images have "
                        + data.channels());
            }
            if (data != null && data.train().size() == 0) {
                problems.add("training set " + data.train().name() + " is empty");
            } else if (data != null && batchSize > 0 && dropLast && data.train().size() < batchSize) {
                problems.add("Invalid value " + batchSize + " for batchSize: with dropLast it must be <= the "
                        + data.train().size() + " training images, or no epoch has a TRAIN batch");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Invalid batch sequence: " + String.join("; ", problems));
            }
            return new BatchSequence(this);
        }
    }
}
