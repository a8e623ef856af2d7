package org.ocsp.flink.cli;

import java.util.concurrent.Callable;
import org.ocsp.flink.publish.Publisher;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code publish}: stream a dataset to the batches topic. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Stream Fashion-MNIST (IDX) or CIFAR-10 (binary, --cifar-dir) as Avro TrainingBatch records with "
                + "EpochEnd markers, for N epochs or without end.")
final class PublishCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    DatasetOptions dataset;

    @Option(names = "--epochs", description = "Epochs to publish (default: without end).")
    Integer epochs;

    @Option(names = "--first-epoch", description = "First dataset epoch (default: ${DEFAULT-VALUE}).")
    int firstEpoch;

    @Option(names = "--rate", description = "Pace the stream: at most this many images per second (TRAIN and EVAL; "
            + "default: unpaced, as fast as the broker takes them).")
    Double rate;

    @Override
    public Integer call() throws Exception {
        TopicAdmin.createAll(kafka.connection(), kafka.topics());
        BatchSequence seq = dataset.sequence();
        Publisher.Builder b = Publisher.builder().setKafka(kafka.connection()).setTopics(kafka.topics())
                .setSequence(seq).setDatasetName(dataset.name()).optFirstEpoch(firstEpoch);
        if (epochs != null) {
            b.optEpochs(epochs);
        }
        if (rate != null) {
            b.optRate(rate);
        }
        System.out.printf("publishing %s (%d TRAIN + %d EVAL batches per epoch) to %s, %s%n", dataset.name(),
                seq.batchCount(Split.TRAIN), seq.batchCount(Split.EVAL), kafka.topics().batches().name(),
                rate == null ? "unpaced" : "at most " + rate + " images/s");
        long sent = b.build().publish(() -> false, e -> System.out.println("epoch " + e + " published"));
        System.out.println(sent + " records published");
        return 0;
    }
}
