package org.ocsp.flink.job;

/** A Kafka record exactly as read (value not yet decoded), with its position. Flink POJO. */
public class RawRecord {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;
    /** The Ed25519 signature and key id of an event the job signed (Kafka headers), else null. */
    public byte[] signature;
    public String signingKeyId;

    public RawRecord() {
    }

    public RawRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
    }
}
