package dev.streamfirst.io.kafka;

import static org.junit.Assert.assertEquals;

import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Each offsets initializer against a real broker, through {@link BrokerOffsets}. */
public class BrokerOffsetsIT {
  private static final String GROUP = "broker-offsets-it";

  private static KafkaBroker kafka;
  private static String topic;
  private static TopicPartition p0;
  private static TopicPartition p1;
  private static BrokerOffsets broker;
  private static List<TopicPartition> partitions;

  /**
   * Partition 0: five records with timestamps 1000, 2000, ..., 5000; partition 1: two, at 100 and
   * 200. The group has committed offset 3 of partition 0 only.
   */
  @BeforeClass
  public static void writeRecordsAndCommit() {
    kafka = KafkaBroker.shared();
    topic = kafka.createTopic("broker-offsets", 2);
    p0 = new TopicPartition(topic, 0);
    p1 = new TopicPartition(topic, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      records.add(new ProducerRecord<>(topic, 0, i * 1000L, "k", "v" + i));
    }
    records.add(new ProducerRecord<>(topic, 1, 100L, "k", "a"));
    records.add(new ProducerRecord<>(topic, 1, 200L, "k", "b"));
    kafka.send(topic, records);
    Map<String, Object> config = config();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(3)));
    }
    broker = BrokerOffsets.open(config, Duration.ofSeconds(10));
    partitions = broker.partitions(kafka.bootstrapServers(), List.of(topic));
  }

  @AfterClass
  public static void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    return config;
  }

  private static Map<TopicPartition, Long> offsets(OffsetsInitializer initializer) {
    return initializer.offsets(partitions, broker);
  }

  @Test
  public void partitions_areEveryPartitionOfTheTopic() {
    assertEquals(Set.of(p0, p1), new HashSet<>(partitions));
  }

  @Test
  public void earliest_isTheFirstOffset() {
    assertEquals(Map.of(p0, 0L, p1, 0L), offsets(OffsetsInitializer.earliest()));
  }

  @Test
  public void latest_isTheEndOffset() {
    assertEquals(Map.of(p0, 5L, p1, 2L), offsets(OffsetsInitializer.latest()));
  }

  @Test
  public void timestamp_isTheFirstRecordAtOrAfterIt_orTheEnd() {
    assertEquals(
        Map.of(p0, 2L, p1, 2L), offsets(OffsetsInitializer.timestamp(Instant.ofEpochMilli(2500))));
  }

  @Test
  public void committed_isTheGroupsOffset_andTheResetElsewhere() {
    assertEquals(
        Map.of(p0, 3L, p1, 0L),
        offsets(OffsetsInitializer.committed(OffsetsInitializer.earliest())));
  }
}
