package org.ocsp.flink.job;

/** A record for the transactional sink: target topic, key and value. Flink POJO. */
public class OutRecord {
    public String topic;
    public byte[] key;
    public byte[] value;

    public OutRecord() {
    }

    public OutRecord(String topic, byte[] key, byte[] value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }
}
