package org.ocsp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocsp.deploy.KafkaTestClients.TIMEOUT;
import static org.ocsp.deploy.KafkaTestClients.admin;
import static org.ocsp.deploy.KafkaTestClients.readAll;
import static org.ocsp.deploy.KafkaTestClients.unique;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The JVM's shared broker: topics with configs, transactions, isolation levels, sharing. */
class EmbeddedKafkaBrokerITCase {

  private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();

  @Test
  void createsTopicWithExplicitConfigsAndReadsThemBack() throws Exception {
    String topic = unique("configured");
    Map<String, String> configs =
        new TreeMap<>(
            Map.of(
                "cleanup.policy", "compact",
                "retention.ms", "3600000",
                "max.message.bytes", "2097152",
                "segment.bytes", "1048576",
                "min.insync.replicas", "1"));
    try (Admin admin = admin(broker)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(configs)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config read =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
      for (Map.Entry<String, String> e : configs.entrySet()) {
        ConfigEntry entry = read.get(e.getKey());
        assertEquals(e.getValue(), entry.value(), e.getKey());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source(), e.getKey());
      }

      TopicDescription description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
      assertEquals(3, description.partitions().size());
      for (TopicPartitionInfo partition : description.partitions()) {
        assertEquals(List.of(BrokerProperties.NODE_ID), ids(partition.replicas()));
        assertEquals(BrokerProperties.NODE_ID, partition.leader().id());
      }
    }
  }

  @Test
  void readCommittedSeesOnlyCommittedTransactionsAndReadUncommittedSeesAll() throws Exception {
    String topic = unique("transactions");
    try (Admin admin = admin(broker)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    try (KafkaProducer<String, String> producer =
        KafkaTestClients.transactionalProducer(broker, unique("tx"))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
      producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
      producer.commitTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "aborted-1"));
      producer.send(new ProducerRecord<>(topic, "k", "aborted-2"));
      producer.flush(); // written to the log, then aborted
      producer.abortTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
      producer.commitTransaction();
    }

    assertEquals(
        List.of("committed-1", "committed-2", "committed-3"),
        readAll(broker, topic, "read_committed"));
    assertEquals(
        List.of("committed-1", "committed-2", "aborted-1", "aborted-2", "committed-3"),
        readAll(broker, topic, "read_uncommitted"));
  }

  @Test
  void brokerRunsWithTheSingleNodeSettings() throws Exception {
    ConfigResource resource =
        new ConfigResource(
            ConfigResource.Type.BROKER, Integer.toString(BrokerProperties.NODE_ID));
    try (Admin admin = admin(broker)) {
      Config config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
      assertEquals("false", config.get("auto.create.topics.enable").value());
      assertEquals("900000", config.get("transaction.max.timeout.ms").value());
      assertEquals("1", config.get("transaction.state.log.replication.factor").value());
      assertEquals("1", config.get("transaction.state.log.min.isr").value());
      assertEquals("1", config.get("offsets.topic.replication.factor").value());
      assertEquals("0", config.get("group.initial.rebalance.delay.ms").value());
      assertEquals(
          "PLAINTEXT://127.0.0.1:" + broker.port() + ",CONTROLLER://127.0.0.1:"
              + broker.brokerProperties().get("controller.quorum.voters").split(":")[1],
          config.get("listeners").value());
    }
  }

  @Test
  void brokerDoesNotCreateTopicsOnFirstUse() throws Exception {
    String topic = unique("never-created");
    try (KafkaConsumer<String, String> consumer =
        KafkaTestClients.consumer(broker, "read_committed")) {
      assertTrue(consumer.partitionsFor(topic, TIMEOUT).isEmpty());
    }
    try (Admin admin = admin(broker)) {
      assertFalse(
          admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic));
    }
  }

  @Test
  void sharedReturnsTheSameRunningInstanceAndIgnoresClose() throws Exception {
    EmbeddedKafkaBroker again = EmbeddedKafkaBroker.shared();
    assertSame(broker, again);
    assertTrue(again.isShared());
    again.close();
    assertTrue(broker.isRunning());
    try (Admin admin = admin(broker)) {
      Collection<Node> nodes =
          admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(List.of(BrokerProperties.NODE_ID), ids(nodes));
    }
  }

  private static List<Integer> ids(Collection<Node> nodes) {
    return nodes.stream().map(Node::id).toList();
  }
}
