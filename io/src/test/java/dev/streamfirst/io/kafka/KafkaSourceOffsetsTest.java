package dev.streamfirst.io.kafka;

import static org.junit.Assert.assertEquals;

import dev.streamfirst.io.Sources;
import org.joda.time.Instant;
import org.junit.Test;

/** Which {@link OffsetsInitializer} each source setting starts from. */
public class KafkaSourceOffsetsTest {
  private static OffsetsInitializer start(String uri) {
    return ((KafkaSource) Sources.read(uri)).startingOffsets();
  }

  @Test
  public void live_startsAtTheLatest() {
    assertEquals(new LatestOffsets(), start("kafka://b:9092/events"));
  }

  @Test
  public void liveWithAGroup_startsAtItsCommittedOffsets() {
    assertEquals(
        new CommittedOffsets(new EarliestOffsets()),
        start("kafka://b:9092/events?group=g&from=earliest"));
    assertEquals(new CommittedOffsets(new LatestOffsets()), start("kafka://b:9092/events?group=g"));
  }

  @Test
  public void replayWithAGroup_neverReadsItsOffsets() {
    assertEquals(new EarliestOffsets(), start("kafka://b:9092/events?group=g&until=end"));
  }

  @Test
  public void liveFromAnInstant_startsAtThatRecordTimestamp() {
    assertEquals(
        new TimestampOffsets(Instant.parse("2026-11-25T00:00:00Z")),
        start("kafka://b:9092/events?from=2026-11-25T00:00:00Z&maxDisorder=1m"));
  }

  @Test
  public void replayWithPayloadTime_seeksMaxDisorderEarlier() {
    assertEquals(
        new TimestampOffsets(Instant.parse("2026-11-24T23:59:00Z")),
        start("kafka://b:9092/events?from=2026-11-25T00:00:00Z&until=end&maxDisorder=1m"));
  }

  @Test
  public void replayWithRecordTime_seeksTheInstantItself() {
    assertEquals(
        new TimestampOffsets(Instant.parse("2026-11-25T00:00:00Z")),
        start("kafka://b:9092/events?from=2026-11-25T00:00:00Z&until=end&time=record"));
  }
}
