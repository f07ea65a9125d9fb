package dev.streamfirst.io.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

public class BoundedDisorderPolicyTest {
  private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration DISORDER = Duration.standardSeconds(30);
  private static final PartitionContext BUSY = context(5, T.minus(Duration.standardDays(1)));

  private static PartitionContext context(long backlog, Instant checkedAt) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkedAt;
      }
    };
  }

  private static KafkaRecord<byte[], String> record(String payload, Instant recordTime) {
    return new KafkaRecord<>(
        "t", 0, 0, recordTime.getMillis(), KafkaTimestampType.CREATE_TIME, null, null, payload);
  }

  private static String event(Instant ts) {
    return "{\"id\":\"e\",\"key\":\"k\",\"ts\":\"" + ts + "\",\"value\":1}";
  }

  private static TimestampPolicy<byte[], String> payloadPolicy() {
    return BoundedDisorderPolicy.factory(RecordTime.fromPayload("ts"), DISORDER)
        .createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
  }

  @Test
  public void beforeAnyRecord_watermarkIsAtTheStartOfTime() {
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, payloadPolicy().getWatermark(BUSY));
  }

  @Test
  public void eventTime_comesFromThePayload_andWatermarkTrailsTheLatestByMaxDisorder() {
    TimestampPolicy<byte[], String> policy = payloadPolicy();
    Instant recordTime = T.plus(Duration.standardHours(1));

    assertEquals(T, policy.getTimestampForRecord(BUSY, record(event(T), recordTime)));
    assertEquals(T.minus(DISORDER), policy.getWatermark(BUSY));
  }

  @Test
  public void eventOutOfOrderWithinMaxDisorder_isNotBehindTheWatermark() {
    TimestampPolicy<byte[], String> policy = payloadPolicy();
    policy.getTimestampForRecord(BUSY, record(event(T), T));
    Instant watermark = policy.getWatermark(BUSY);

    Instant late = T.minus(DISORDER);
    Instant stamped = policy.getTimestampForRecord(BUSY, record(event(late), T));

    assertEquals(late, stamped);
    assertEquals(false, stamped.isBefore(watermark));
    // An older event does not pull the watermark back.
    assertEquals(watermark, policy.getWatermark(BUSY));
  }

  @Test
  public void payloadWithoutReadableTime_getsTheRecordTimestamp() {
    TimestampPolicy<byte[], String> policy = payloadPolicy();

    assertEquals(T, policy.getTimestampForRecord(BUSY, record("not json", T)));
    assertEquals(T, policy.getTimestampForRecord(BUSY, record("{\"ts\":\"yesterday\"}", T)));
  }

  @Test
  public void recordTime_ignoresThePayload() {
    TimestampPolicy<byte[], String> policy =
        BoundedDisorderPolicy.factory(RecordTime.fromRecord(), DISORDER)
            .createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    Instant recordTime = T.plus(Duration.standardMinutes(5));

    assertEquals(recordTime, policy.getTimestampForRecord(BUSY, record(event(T), recordTime)));
    assertEquals(recordTime.minus(DISORDER), policy.getWatermark(BUSY));
  }

  @Test
  public void caughtUpPartition_followsTheClockMinusMaxDisorder() {
    TimestampPolicy<byte[], String> policy = payloadPolicy();
    policy.getTimestampForRecord(BUSY, record(event(T), T));
    Instant now = T.plus(Duration.standardMinutes(10));

    assertEquals(now.minus(DISORDER), policy.getWatermark(context(0, now)));
    // Backlog again: the watermark stays where the idle clock put it, it never moves back.
    assertEquals(now.minus(DISORDER), policy.getWatermark(BUSY));
  }

  @Test
  public void eventDatedFarAhead_keepsItsTime_butMovesTheWatermarkNoFurtherThanTheClock() {
    TimestampPolicy<byte[], String> policy = payloadPolicy();
    Instant nextCentury = Instant.parse("2099-01-01T00:00:00Z");
    Instant before = Instant.now();

    assertEquals(nextCentury, policy.getTimestampForRecord(BUSY, record(event(nextCentury), T)));
    Instant watermark = policy.getWatermark(BUSY);
    Instant after = Instant.now();

    assertTrue(
        "watermark " + watermark + " should be the clock minus the disorder",
        !watermark.isBefore(before.minus(DISORDER)) && !watermark.isAfter(after.minus(DISORDER)));
  }

  @Test
  public void restoredPolicy_startsAtThePreviousWatermark() {
    TimestampPolicy<byte[], String> policy =
        BoundedDisorderPolicy.factory(RecordTime.fromPayload("ts"), DISORDER)
            .createTimestampPolicy(new TopicPartition("t", 0), Optional.of(T));
    policy.getTimestampForRecord(BUSY, record(event(T.minus(Duration.standardMinutes(1))), T));

    assertEquals(T, policy.getWatermark(BUSY));
  }
}
