package dev.streamfirst.io.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.common.TopicPartition;

/**
 * {@link OffsetsInitializer#committed}: the consumer group's committed offsets, and where {@code
 * reset} says for partitions the group has never committed.
 */
record CommittedOffsets(OffsetsInitializer reset) implements OffsetsInitializer {
  @Override
  public Map<TopicPartition, Long> offsets(
      Collection<TopicPartition> partitions, PartitionOffsets offsets) {
    Map<TopicPartition, Long> found = new HashMap<>(offsets.committedOffsets(partitions));
    List<TopicPartition> missing = partitions.stream().filter(p -> !found.containsKey(p)).toList();
    if (!missing.isEmpty()) {
      found.putAll(reset.offsets(missing, offsets));
    }
    return found;
  }

  @Override
  public <K, V> KafkaIO.Read<K, V> startLive(KafkaIO.Read<K, V> read) {
    // A consumer with a group id starts at the group's committed offsets by itself, and at its
    // auto.offset.reset where there are none: only the reset is ours to set.
    return reset.startLive(read);
  }
}
