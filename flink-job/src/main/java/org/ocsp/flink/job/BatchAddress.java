package org.ocsp.flink.job;

import java.util.Objects;

/**
 * Where a waiting batch sits in the batches topic, and what it was (dataset epoch, split, index): what the trainer keeps
 * in keyed state for a batch that waits for its epoch's decision, instead of the batch itself. The
 * batch is read again from Kafka only if it is not in memory any more (after a restore, or when
 * the waiting batches outgrew their memory budget). Flink POJO.
 */
public class BatchAddress {
    public String topic;
    public int partition;
    public long offset;
    public int epoch;
    /** The batch's index in its split; null in addresses stored before it was kept. */
    public Integer index;
    /** Whether it is an EVAL batch (or the EpochEnd marker, {@code epochEnd}); null as {@link #index}. */
    public Boolean eval;
    public Boolean epochEnd;

    public BatchAddress() {
    }

    public static BatchAddress of(RunBatch b) {
        BatchAddress a = new BatchAddress();
        a.topic = b.topic;
        a.partition = b.partition;
        a.offset = b.offset;
        a.epoch = b.epoch;
        a.index = b.index;
        a.eval = b.eval;
        a.epochEnd = b.epochEnd;
        return a;
    }

    /**
     * Why the batch read again from this address is not the one that was stored there (another
     * epoch, index or split: the topic was recreated or rewritten), if it is not.
     */
    public java.util.Optional<String> mismatch(RunBatch b) {
        boolean same = b.epoch == epoch && (index == null || b.index == index) && (eval == null || b.eval == eval)
                && (epochEnd == null || b.epochEnd == epochEnd);
        return same ? java.util.Optional.empty() : java.util.Optional.of("the record at " + this + " is "
                + b.describe() + ", but the batch stored there was " + (Boolean.TRUE.equals(epochEnd) ? "the EpochEnd"
                : (Boolean.TRUE.equals(eval) ? "EVAL" : "TRAIN") + " batch " + (index == null ? "?" : index))
                + " of dataset epoch " + epoch);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BatchAddress)) {
            return false;
        }
        BatchAddress a = (BatchAddress) o;
        return partition == a.partition && offset == a.offset && epoch == a.epoch && Objects.equals(topic, a.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, epoch);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
