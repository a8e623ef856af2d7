package org.ocsp.flink.job;

import org.ocsp.flink.chain.EventSignature;

/**
 * A record for the transactional sink: target topic, key and value, and for a signed event its
 * signature (sent as Kafka record headers). Flink POJO.
 */
public class OutRecord {
    public String topic;
    public byte[] key;
    public byte[] value;
    /** Ed25519 signature of {@link #value}; null when unsigned. */
    public byte[] signature;
    /** Id of the key that made {@link #signature}; null when unsigned. */
    public String signingKeyId;

    public OutRecord() {
    }

    public OutRecord(String topic, byte[] key, byte[] value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    /** The same record carrying {@code s}. */
    public OutRecord signed(EventSignature s) {
        signature = s.signature();
        signingKeyId = s.keyId();
        return this;
    }
}
