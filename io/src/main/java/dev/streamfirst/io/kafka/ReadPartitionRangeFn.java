package dev.streamfirst.io.kafka;

import dev.streamfirst.io.SecretReferences;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Reads the payloads of one partition's offset range, stamped with their event times; bounded, and
 * splittable by offset so a runner can share a long range among workers.
 *
 * <p>Offsets need not be contiguous (transaction markers, compaction): the range is done when the
 * consumer's position reaches its end, not when the last offset has been seen.
 */
@DoFn.BoundedPerElement
final class ReadPartitionRangeFn extends DoFn<PartitionRange, String> {
  private static final Duration POLL = Duration.ofMillis(500);
  // A range is known to have records up to its end; this long without any is a broken connection.
  private static final long STALL_MILLIS = 120_000;

  private final Map<String, Object> consumerConfig;
  private final RecordTime time;
  private final @Nullable Instant from;
  private final @Nullable Instant until;
  private transient @Nullable Consumer<byte[], String> consumer;

  /** Keeps the events whose event time is in {@code [from, until)}; null bounds are open. */
  ReadPartitionRangeFn(
      Map<String, Object> consumerConfig,
      RecordTime time,
      @Nullable Instant from,
      @Nullable Instant until) {
    this.consumerConfig = new HashMap<>(consumerConfig);
    this.time = time;
    this.from = from;
    this.until = until;
  }

  @Setup
  public void setup() {
    // Secret references are resolved here, on the worker.
    Map<String, Object> config = new HashMap<>(SecretReferences.resolveValues(consumerConfig));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Only if retention has deleted the start of the range since launch: read what is left.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new Utf8PayloadDeserializer());
  }

  @Teardown
  public void teardown() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element PartitionRange range) {
    return new OffsetRange(range.start(), range.end());
  }

  @NewTracker
  public OffsetRangeTracker newTracker(@Restriction OffsetRange restriction) {
    return new OffsetRangeTracker(restriction);
  }

  @ProcessElement
  public void process(
      @Element PartitionRange range,
      RestrictionTracker<OffsetRange, Long> tracker,
      OutputReceiver<String> out) {
    TopicPartition partition = new TopicPartition(range.topic(), range.partition());
    Consumer<byte[], String> kafka = consumer;
    kafka.assign(List.of(partition));
    kafka.seek(partition, tracker.currentRestriction().getFrom());
    long lastProgress = System.currentTimeMillis();
    while (true) {
      long end = tracker.currentRestriction().getTo();
      if (kafka.position(partition) >= end) {
        // Claiming past the end marks the range done even if its last offsets held no record.
        tracker.tryClaim(end);
        return;
      }
      boolean any = false;
      for (ConsumerRecord<byte[], String> record : kafka.poll(POLL).records(partition)) {
        any = true;
        if (!tracker.tryClaim(record.offset())) {
          return;
        }
        String payload = record.value();
        if (payload == null) {
          continue; // a tombstone: no message to process
        }
        Instant eventTime = time.of(payload, record.timestamp());
        if ((from != null && eventTime.isBefore(from))
            || (until != null && !eventTime.isBefore(until))) {
          continue;
        }
        out.outputWithTimestamp(payload, eventTime);
      }
      if (any) {
        lastProgress = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - lastProgress > STALL_MILLIS) {
        throw new IllegalStateException(
            "no records from "
                + partition
                + " for "
                + STALL_MILLIS / 1000
                + " s while reading offsets up to "
                + end
                + " (position "
                + kafka.position(partition)
                + "); is the broker reachable?");
      }
    }
  }
}
