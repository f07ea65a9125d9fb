package dev.streamfirst.io.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time and watermark of one partition, for events that arrive at most {@code maxDisorder}
 * behind the latest one seen: the watermark is the latest event time read minus {@code
 * maxDisorder}, so an event that much out of order is still on time.
 *
 * <p>When the reader has caught up with a partition (no backlog), the watermark also moves to the
 * wall clock minus {@code maxDisorder}: an idle partition would otherwise hold back every window of
 * the pipeline forever, and a caught-up reader of live data has no reason to expect events older
 * than that. The watermark never moves back.
 *
 * <p>An event dated ahead of the wall clock (a producer whose clock or time zone is wrong) moves
 * the watermark no further than the wall clock: one event dated next year would otherwise make
 * every event after it late. The event keeps its time; parsing refuses it if it is too far ahead.
 */
final class BoundedDisorderPolicy extends TimestampPolicy<byte[], String> {
  private final RecordTime time;
  private final Duration maxDisorder;
  private Instant latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark;

  BoundedDisorderPolicy(RecordTime time, Duration maxDisorder, Optional<Instant> previous) {
    this.time = time;
    this.maxDisorder = maxDisorder;
    this.watermark = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  static TimestampPolicyFactory<byte[], String> factory(RecordTime time, Duration maxDisorder) {
    return new Factory(time, maxDisorder);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], String> r) {
    Instant eventTime = time.of(r.getKV().getValue(), r.getTimestamp());
    long nowMillis = System.currentTimeMillis();
    Instant evidence = eventTime.getMillis() > nowMillis ? new Instant(nowMillis) : eventTime;
    if (evidence.isAfter(latest)) {
      latest = evidence;
    }
    return eventTime;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    if (latest.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      advanceTo(latest.minus(maxDisorder));
    }
    if (context.getMessageBacklog() == 0) {
      advanceTo(context.getBacklogCheckTime().minus(maxDisorder));
    }
    return watermark;
  }

  private void advanceTo(Instant candidate) {
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
  }

  private static final class Factory implements TimestampPolicyFactory<byte[], String> {
    private final RecordTime time;
    private final Duration maxDisorder;

    Factory(RecordTime time, Duration maxDisorder) {
      this.time = time;
      this.maxDisorder = maxDisorder;
    }

    @Override
    public TimestampPolicy<byte[], String> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new BoundedDisorderPolicy(time, maxDisorder, previousWatermark);
    }
  }
}
