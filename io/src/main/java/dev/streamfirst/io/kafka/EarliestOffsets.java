package dev.streamfirst.io.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/** {@link OffsetsInitializer#earliest()}: each partition's oldest record still kept. */
record EarliestOffsets() implements OffsetsInitializer {
  @Override
  public Map<TopicPartition, Long> offsets(
      Collection<TopicPartition> partitions, PartitionOffsets offsets) {
    return offsets.beginningOffsets(partitions);
  }

  @Override
  public <K, V> KafkaIO.Read<K, V> startLive(KafkaIO.Read<K, V> read) {
    return read.withConsumerConfigUpdates(
        Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
  }
}
