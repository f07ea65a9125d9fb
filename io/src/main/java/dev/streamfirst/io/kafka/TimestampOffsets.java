package dev.streamfirst.io.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;

/**
 * {@link OffsetsInitializer#timestamp}: each partition's first record whose Kafka timestamp is at
 * or after {@code time}, or its end offset if it has none (nothing of it is read).
 */
record TimestampOffsets(Instant time) implements OffsetsInitializer {
  @Override
  public Map<TopicPartition, Long> offsets(
      Collection<TopicPartition> partitions, PartitionOffsets offsets) {
    // Kafka refuses negative timestamps; every record is at or after 0.
    long millis = Math.max(0, time.getMillis());
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(partition -> times.put(partition, millis));
    Map<TopicPartition, Long> found = new HashMap<>(offsets.offsetsForTimes(times));
    List<TopicPartition> none = partitions.stream().filter(p -> !found.containsKey(p)).toList();
    if (!none.isEmpty()) {
      found.putAll(offsets.endOffsets(none));
    }
    return found;
  }

  @Override
  public <K, V> KafkaIO.Read<K, V> startLive(KafkaIO.Read<K, V> read) {
    return read.withStartReadTime(time);
  }
}
