package org.ocsp.flink;

import org.ocsp.deploy.EmbeddedKafkaBroker;

/** The test JVM's broker: deploy's shared in-process KRaft broker. */
public final class TestKafka {
    private TestKafka() {
    }

    public static String bootstrapServers() {
        return EmbeddedKafkaBroker.shared().bootstrapServers();
    }
}
