package org.ocsp.flink.job.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.ocsp.flink.job.BatchAddress;
import org.ocsp.flink.job.RunBatch;

/** Reads batches of the batches topic again by their address. */
public interface BatchReader extends Serializable, AutoCloseable {
    /**
     * The batches at these addresses, decoded, not yet addressed to a run. An address that cannot
     * be read (gone by retention, unreadable, or holding another batch than the one stored there) is
     * missing from the result.
     *
     * @throws BatchTopicUnavailableException if batches that are in the log cannot be read in time
     */
    Map<BatchAddress, RunBatch> read(List<BatchAddress> addresses);

    @Override
    void close();
}
