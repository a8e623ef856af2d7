package org.ocsp.flink.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {
    @TempDir
    Path dir;

    @Test
    void theClientConfigFileReachesEveryClientAndItsSecretsAreNotPrinted() throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "security.protocol=SASL_SSL", "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"job\" "
                        + "password=\"s3cret\";",
                "ssl.truststore.location=/etc/ocsp/truststore.p12"));
        KafkaConnection k = KafkaConnection.of("broker:9093", Optional.of(file));
        Properties p = k.properties();
        assertEquals("broker:9093", p.getProperty("bootstrap.servers"));
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertTrue(p.getProperty("sasl.jaas.config").contains("password=\"s3cret\""));
        p.put("client.id", "mine");
        assertFalse(k.properties().containsKey("client.id"), "each client gets its own copy");
        assertFalse(k.toString().contains("s3cret"), k.toString());
        assertTrue(k.toString().contains("sasl.jaas.config"), k.toString());
    }

    @Test
    void theSettingsThatMakeExactlyOnceCannotComeFromTheFile() throws IOException {
        for (String fixed : new String[] {"transactional.id=x", "isolation.level=read_uncommitted", "group.id=g",
                                          "bootstrap.servers=other:9092"}) {
            Path file = Files.writeString(dir.resolve("bad.properties"), fixed);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KafkaConnection.of("broker:9093", Optional.of(file)));
            assertTrue(e.getMessage().contains(fixed.substring(0, fixed.indexOf('='))), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> KafkaConnection.of("broker:9093", Optional.of(dir.resolve("missing.properties"))));
        assertEquals(Map.of(), KafkaConnection.of("broker:9093").clientSettings());
    }

    /** The README's way to keep a secret out of the file: the Kafka client resolves it itself. */
    @Test
    void secretsReferencedWithAConfigProviderAreResolvedByTheKafkaClient() throws IOException {
        Path secret = Files.writeString(dir.resolve("credentials.properties"),
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"job\" "
                        + "password=\"from-the-secret\";\n");
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "config.providers=file",
                "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "sasl.jaas.config=${file:" + secret + ":sasl.jaas.config}"));
        KafkaConnection k = KafkaConnection.of("broker:9093", Optional.of(file));
        assertFalse(k.clientSettings().get("sasl.jaas.config").contains("from-the-secret"), "only a reference here");
        Properties p = k.properties();
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        org.apache.kafka.clients.consumer.ConsumerConfig resolved = new org.apache.kafka.clients.consumer.ConsumerConfig(p);
        assertTrue(resolved.getPassword("sasl.jaas.config").value().contains("password=\"from-the-secret\""));
    }
}
