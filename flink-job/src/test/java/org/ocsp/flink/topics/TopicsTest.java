package org.ocsp.flink.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void defaultsNameTheFourTopics() {
        Topics t = Topics.defaults();
        assertEquals(List.of("ocsp.batches", "ocsp.run-requests", "ocsp.events", "ocsp.dead-letters"),
                t.all().stream().map(TopicSpec::name).toList());
    }

    @Test
    void batchesHaveOnePartitionSoEpochMarkersStayInOrder() {
        assertEquals(1, Topics.defaults().batches().partitions());
    }

    @Test
    void eventsAreDeletedNeverCompactedAndKeptForever() {
        TopicSpec e = Topics.defaults().events();
        assertEquals("delete", e.config("cleanup.policy"));
        assertEquals("-1", e.config("retention.ms"));
        assertEquals("-1", e.config("retention.bytes"));
    }

    @Test
    void runRequestsHaveOnePartitionAndAreKeptForever() {
        TopicSpec r = Topics.defaults().runRequests();
        assertEquals(1, r.partitions(), "one partition: requests enter the log in the order they were made");
        assertEquals("-1", r.config("retention.ms"));
        assertEquals("-1", r.config("retention.bytes"));
    }

    @Test
    void deadLettersAreKeptForever() {
        TopicSpec d = Topics.defaults().deadLetters();
        assertEquals("delete", d.config("cleanup.policy"));
        assertEquals("-1", d.config("retention.ms"));
    }

    @Test
    void prefixAndReplicationFactorChangeOnlyNamesAndFactor() {
        Topics t = Topics.withPrefix("x.").withReplicationFactor((short) 3);
        assertEquals("x.events", t.events().name());
        assertTrue(t.all().stream().allMatch(s -> s.replicationFactor() == 3));
        assertEquals(Topics.defaults().events().configs(), t.events().configs());
    }

    @Test
    void invalidTopicNamesAreRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TopicSpec("bad name", 1, (short) 1, Map.of()));
        assertTrue(e.getMessage().contains("'bad name'"), e.getMessage());
    }

    @Test
    void askingForAnUnsetConfigNamesTheSetOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topics.defaults().events().config("min.compaction.lag.ms"));
        assertTrue(e.getMessage().contains("cleanup.policy"), e.getMessage());
    }
}
