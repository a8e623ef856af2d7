package org.ocsp.flink.job;

import org.ocsp.schemas.RecordType;

/** An event read back from the events topic: its type, run, sequence and raw bytes. Flink POJO. */
public class ControlEvent {
    public String runId;
    public RecordType type;
    public long sequence;
    public int epoch;
    public byte[] value;
    public byte[] key;
    public String topic;
    public int partition;
    public long offset;

    public ControlEvent() {
    }
}
