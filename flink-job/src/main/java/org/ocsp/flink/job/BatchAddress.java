package org.ocsp.flink.job;

import java.util.Objects;

/**
 * Where a waiting batch sits in the batches topic, and its dataset epoch: what the trainer keeps
 * in keyed state for a batch that waits for its epoch's decision, instead of the batch itself. The
 * batch is read again from Kafka only if it is not in memory any more (after a restore, or when
 * the waiting batches outgrew their memory budget). Flink POJO.
 */
public class BatchAddress {
    public String topic;
    public int partition;
    public long offset;
    public int epoch;

    public BatchAddress() {
    }

    public static BatchAddress of(RunBatch b) {
        BatchAddress a = new BatchAddress();
        a.topic = b.topic;
        a.partition = b.partition;
        a.offset = b.offset;
        a.epoch = b.epoch;
        return a;
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
