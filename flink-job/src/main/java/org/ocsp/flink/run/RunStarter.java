package org.ocsp.flink.run;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * Writes a run's RunStarted event (sequence 0, key = run id) to the events topic; the job picks it
 * up and the run joins the stream at the next dataset epoch.
 *
 * <pre>{@code
 * RunStarted e = RunStarter.start("localhost:9092", Topics.defaults(), "run-50", spec);
 * }</pre>
 */
public final class RunStarter {
    private RunStarter() {
    }

    public static RunStarted start(String bootstrapServers, Topics topics, String runId, RunSpec spec) {
        return start(bootstrapServers, topics, runId, spec, Optional.empty());
    }

    /** @param signingKeyId the id of the key the job signs with ({@code VerifyingKey.keyId}), named in RunStarted */
    public static RunStarted start(String bootstrapServers, Topics topics, String runId, RunSpec spec,
                                   Optional<String> signingKeyId) {
        RunStarted event = RunSpecs.runStarted(runId, spec, signingKeyId);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topics.events().name(), runId.getBytes(StandardCharsets.UTF_8),
                    EventCodec.create().encode(event))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting run " + runId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot write RunStarted of run " + runId + ": " + e.getCause(), e.getCause());
        }
        return event;
    }
}
