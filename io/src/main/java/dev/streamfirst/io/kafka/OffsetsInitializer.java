package dev.streamfirst.io.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;

/**
 * Where the read of each partition starts (or, for a replay, stops), as a rule rather than as
 * numbers: the oldest record, the end, a group's committed offset, or the first record at a time.
 *
 * <p>A replay turns the rule into offsets once, when the pipeline is built ({@link #offsets}); a
 * live read hands it to KafkaIO ({@link #startLive}), whose readers look the offsets up themselves
 * each time they start.
 *
 * <pre>{@code
 * Map<TopicPartition, Long> start =
 *     OffsetsInitializer.timestamp(Instant.parse("2026-11-25T00:00:00Z")).offsets(partitions, broker);
 * }</pre>
 */
interface OffsetsInitializer {
  /** The offset of each of {@code partitions}, looked up in {@code offsets}. */
  Map<TopicPartition, Long> offsets(
      Collection<TopicPartition> partitions, PartitionOffsets offsets);

  /** {@code read}, set to start where this rule says. */
  <K, V> KafkaIO.Read<K, V> startLive(KafkaIO.Read<K, V> read);

  /** At the oldest record still kept. */
  static OffsetsInitializer earliest() {
    return new EarliestOffsets();
  }

  /** At the end: only records written from now on. As a replay's stop, the end now. */
  static OffsetsInitializer latest() {
    return new LatestOffsets();
  }

  /** At the consumer group's committed offset, or where {@code reset} says if it has none. */
  static OffsetsInitializer committed(OffsetsInitializer reset) {
    return new CommittedOffsets(reset);
  }

  /**
   * At the first record whose Kafka timestamp is at or after {@code time}; at the end in a
   * partition that has no such record.
   */
  static OffsetsInitializer timestamp(Instant time) {
    return new TimestampOffsets(time);
  }
}
