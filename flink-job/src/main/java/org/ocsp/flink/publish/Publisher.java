package org.ocsp.flink.publish;

import org.ocsp.flink.topics.KafkaConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.EpochBatches;
import org.ocsp.modelops.data.Split;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.TrainingBatch;

/**
 * Streams a {@link BatchSequence} to the batches topic: per epoch every TRAIN batch, every EVAL
 * batch, then an {@link EpochEnd} marker. The floats are exactly those {@code model-ops train}
 * trains on for the same data, seed and augmentation.
 *
 * <pre>{@code
 * Publisher p = Publisher.builder()
 *         .setBootstrapServers("localhost:9092")
 *         .setTopics(Topics.defaults())
 *         .setSequence(sequence)
 *         .setDatasetName("fashion-mnist")
 *         .optEpochs(5)                 // omit: endless
 *         .optRate(500)                 // images per second; omit: as fast as the broker takes them
 *         .build();
 * long records = p.publish();
 * }</pre>
 */
public final class Publisher {
    private final KafkaConnection kafka;
    private final Topics topics;
    private final BatchSequence sequence;
    private final String datasetName;
    private final int firstEpoch;
    private final Optional<Integer> epochs;
    private final Optional<Double> imagesPerSecond;
    private final EventCodec codec = EventCodec.create();

    private Publisher(Builder b) {
        this.kafka = new KafkaConnection(b.bootstrapServers, b.clientSettings);
        this.topics = b.topics;
        this.sequence = b.sequence;
        this.datasetName = b.datasetName;
        this.firstEpoch = b.firstEpoch;
        this.epochs = b.epochs;
        this.imagesPerSecond = b.imagesPerSecond;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Publishes every epoch (all of them, or until {@code stop} says so between epochs); returns the records sent. */
    public long publish() {
        return publish(() -> false, e -> { });
    }

    /** Publishes with a stop condition checked between batches and a callback after every epoch. */
    public long publish(BooleanSupplier stop, java.util.function.IntConsumer afterEpoch) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String topic = topics.batches().name();
        long sent = 0;
        float[] x = new float[sequence.batchSize() * sequence.featuresPerSample()];
        int[] y = new int[sequence.batchSize()];
        List<Integer> shape = List.of(0, sequence.channels(), sequence.height(), sequence.width());
        Pacer pacer = Pacer.of(imagesPerSecond);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> inFlight = new ArrayList<>();
            long last = epochs.map(n -> (long) firstEpoch + n).orElse(Long.MAX_VALUE);
            for (long e = firstEpoch; e < last && !stop.getAsBoolean(); e++) {
                int epoch = Math.toIntExact(e);
                EpochBatches batches = sequence.batches(epoch);
                for (Split split : List.of(Split.TRAIN, Split.EVAL)) {
                    int count = batches.batchCount(split);
                    for (int i = 0; i < count; i++) {
                        int n = batches.fill(split, i, x, y);
                        List<Integer> s = new ArrayList<>(shape);
                        s.set(0, n);
                        List<Integer> labels = new ArrayList<>(n);
                        for (int k = 0; k < n; k++) {
                            labels.add(y[k]);
                        }
                        TrainingBatch b = TrainingBatch.newBuilder()
                                .setDatasetName(datasetName).setSeed(sequence.seed()).setEpoch(epoch)
                                .setSplit(split == Split.TRAIN ? org.ocsp.schemas.avro.data.Split.TRAIN
                                        : org.ocsp.schemas.avro.data.Split.EVAL)
                                .setIndex(i).setBatchCount(count).setShape(s)
                                .setFeatures(ByteBuffer.wrap(Floats.toBytes(x, n * sequence.featuresPerSample())))
                                .setLabels(labels).build();
                        pacer.awaitTurn(n);
                        inFlight.add(producer.send(new ProducerRecord<>(topic, codec.encode(b))));
                        sent++;
                        drain(inFlight, 64);
                    }
                }
                EpochEnd end = EpochEnd.newBuilder().setDatasetName(datasetName).setSeed(sequence.seed()).setEpoch(epoch)
                        .setTrainBatches(batches.batchCount(Split.TRAIN)).setEvalBatches(batches.batchCount(Split.EVAL))
                        .build();
                inFlight.add(producer.send(new ProducerRecord<>(topic, codec.encode(end))));
                sent++;
                drain(inFlight, 0);
                afterEpoch.accept(epoch);
            }
            producer.flush();
        }
        return sent;
    }

    /** Waits for sends until at most {@code keep} are outstanding; a failed send fails the publisher. */
    private static void drain(List<Future<RecordMetadata>> inFlight, int keep) {
        while (inFlight.size() > keep) {
            try {
                inFlight.remove(0).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while publishing", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Publishing a batch failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private String bootstrapServers;
        private java.util.Map<String, String> clientSettings = java.util.Map.of();
        private Topics topics;
        private BatchSequence sequence;
        private String datasetName;
        private int firstEpoch;
        private Optional<Integer> epochs = Optional.empty();
        private Optional<Double> imagesPerSecond = Optional.empty();

        public Builder setBootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** The servers and the client settings of a Kafka client config file (security, ...). */
        public Builder setKafka(KafkaConnection kafka) {
            this.bootstrapServers = kafka.bootstrapServers();
            this.clientSettings = kafka.clientSettings();
            return this;
        }

        public Builder setTopics(Topics topics) {
            this.topics = topics;
            return this;
        }

        public Builder setSequence(BatchSequence sequence) {
            this.sequence = sequence;
            return this;
        }

        public Builder setDatasetName(String name) {
            this.datasetName = name;
            return this;
        }

        /** First dataset epoch to publish (default 0). */
        public Builder optFirstEpoch(int epoch) {
            this.firstEpoch = epoch;
            return this;
        }

        /** Number of epochs; without it the publisher runs until stopped. */
        public Builder optEpochs(int count) {
            this.epochs = Optional.of(count);
            return this;
        }

        /**
         * At most this many images (TRAIN and EVAL) per second, for a stream that arrives like a live
         * source; without it the publisher sends as fast as the broker takes the batches.
         */
        public Builder optRate(double imagesPerSecond) {
            this.imagesPerSecond = Optional.of(imagesPerSecond);
            return this;
        }

        public Publisher build() {
            List<String> missing = new ArrayList<>();
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                missing.add("bootstrap servers (setBootstrapServers(\"host:9092\"))");
            }
            if (topics == null) {
                missing.add("topics (setTopics(Topics.defaults()))");
            }
            if (sequence == null) {
                missing.add("batch sequence (setSequence(BatchSequence.builder()...build()))");
            }
            if (datasetName == null || datasetName.isBlank()) {
                missing.add("dataset name (setDatasetName(\"fashion-mnist\"))");
            }
            if (firstEpoch < 0) {
                missing.add("first epoch >= 0 (got " + firstEpoch + ")");
            }
            if (epochs.isPresent() && epochs.get() < 1) {
                missing.add("epochs >= 1 (got " + epochs.get() + ")");
            }
            if (imagesPerSecond.isPresent() && !(imagesPerSecond.get() > 0 && Double.isFinite(imagesPerSecond.get()))) {
                missing.add("rate > 0 images per second (got " + imagesPerSecond.get() + ")");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("Cannot build Publisher, missing or invalid: " + String.join(", ", missing));
            }
            Objects.requireNonNull(sequence);
            return new Publisher(this);
        }
    }
}
