package dev.streamfirst.io.kafka;

import dev.streamfirst.io.SecretReferences;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Partitions and offsets as the brokers know them now, asked through one consumer that reads and
 * commits nothing. Each question waits at most the look-up timeout.
 *
 * <pre>{@code
 * try (BrokerOffsets broker = BrokerOffsets.open(config, timeout)) {
 *   Map<TopicPartition, Long> end = broker.endOffsets(broker.partitions(servers, topics));
 * }
 * }</pre>
 */
final class BrokerOffsets implements PartitionOffsets, AutoCloseable {
  private final Consumer<byte[], byte[]> consumer;
  private final Duration timeout;

  private BrokerOffsets(Consumer<byte[], byte[]> consumer, Duration timeout) {
    this.consumer = consumer;
    this.timeout = timeout;
  }

  /**
   * A consumer with {@code consumerConfig}, its secret references resolved here, where the look-up
   * runs.
   */
  static BrokerOffsets open(Map<String, Object> consumerConfig, Duration timeout) {
    Map<String, Object> config = new HashMap<>(SecretReferences.resolveValues(consumerConfig));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new BrokerOffsets(
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        timeout);
  }

  /**
   * Every partition of {@code topics}, in the order of the topics.
   *
   * @throws IllegalArgumentException naming a topic that does not exist on {@code servers}, and
   *     those that do
   */
  List<TopicPartition> partitions(String servers, List<String> topics) {
    Map<String, List<PartitionInfo>> all = consumer.listTopics(timeout);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = all.get(topic);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "topic '"
                + topic
                + "' does not exist on "
                + servers
                + "; existing topics: "
                + String.join(", ", new TreeSet<>(all.keySet())));
      }
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    return partitions;
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
    return consumer.beginningOffsets(partitions, timeout);
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    return consumer.endOffsets(partitions, timeout);
  }

  @Override
  public Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    consumer
        .offsetsForTimes(timestamps, timeout)
        .forEach(
            (partition, found) -> {
              if (found != null) {
                offsets.put(partition, found.offset());
              }
            });
    return offsets;
  }

  @Override
  public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    consumer
        .committed(new HashSet<>(partitions), timeout)
        .forEach(
            (partition, committed) -> {
              if (committed != null) {
                offsets.put(partition, committed.offset());
              }
            });
    return offsets;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
