package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ocsp.flink.publish.Publisher;
import org.ocsp.flink.topics.Topics;
import org.ocsp.modelops.data.BatchSequence;
import org.ocsp.modelops.data.Split;

/** The publisher's --rate against a real broker: the stream cannot arrive faster than the rate. */
class PublisherPacingITCase {
    @Test
    void aPacedPublisherTakesAtLeastTheTimeItsRateAllows() throws Exception {
        Topics topics = Fixtures.topics("pacing");
        BatchSequence seq = Fixtures.sequence();
        int images = seq.sampleCount(Split.TRAIN) + seq.sampleCount(Split.EVAL);
        double rate = 400;
        long start = System.nanoTime();
        long sent = Publisher.builder().setBootstrapServers(TestKafka.bootstrapServers()).setTopics(topics)
                .setSequence(seq).setDatasetName(Fixtures.DATASET).optEpochs(1).optRate(rate).build().publish();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(seq.batchCount(Split.TRAIN) + seq.batchCount(Split.EVAL) + 1, sent, "batches + EpochEnd");
        // The last batch is released once all images before it are due.
        double lowerBound = (images - Fixtures.BATCH) / rate;
        assertTrue(seconds >= lowerBound, "published " + images + " images in " + seconds + " s, faster than "
                + rate + " images/s allows (" + lowerBound + " s)");
    }

    @Test
    void aRateOfZeroIsRejectedWhenBuilding() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Publisher.builder()
                .setBootstrapServers("k:1").setTopics(Topics.defaults()).setSequence(Fixtures.sequence())
                .setDatasetName(Fixtures.DATASET).optRate(0).build());
        assertTrue(e.getMessage().contains("rate > 0"), e.getMessage());
    }
}
