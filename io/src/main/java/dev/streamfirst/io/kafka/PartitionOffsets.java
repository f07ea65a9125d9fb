package dev.streamfirst.io.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets a Kafka cluster knows for some partitions, as an {@link OffsetsInitializer} asks for
 * them. {@link BrokerOffsets} asks the brokers.
 */
interface PartitionOffsets {
  /** Each partition's oldest offset still kept. */
  Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

  /** Each partition's end offset now: the offset its next record will get. */
  Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

  /**
   * Each partition's first offset whose record timestamp is at or after the given epoch millis;
   * partitions that have no such record are left out.
   */
  Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> timestamps);

  /** The consumer group's committed offsets; partitions it has committed none for are left out. */
  Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions);
}
