package dev.streamfirst.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Builds a {@link TestStream} of JSON lines in which each {@link EventJson} arrives stamped with
 * its own event time, the way a source that reads event time from the message would stamp it.
 *
 * <p>Lines arrive in the order they are added, whatever their event times, so a test writes
 * out-of-order and late data simply by adding it after the watermark has moved on. Every method
 * returns a new builder; the steps are exactly {@link TestStream}'s.
 *
 * <pre>{@code
 * TestStream<String> stream =
 *     EventTestStream.create()
 *         .add(EventJson.event("e-1", "k", t("10:00:10"), 1.0))
 *         .advanceWatermarkTo(t("10:01:30"))
 *         .add(EventJson.event("e-2", "k", t("10:00:50"), 2.0)) // late for [10:00, 10:01)
 *         .advanceWatermarkToInfinity();
 * p.apply(stream).apply(ParseEvents.create());
 * }</pre>
 */
public final class EventTestStream {
  private final TestStream.Builder<String> builder;
  private final Instant watermark;

  private EventTestStream(TestStream.Builder<String> builder, Instant watermark) {
    this.builder = builder;
    this.watermark = watermark;
  }

  /** An empty stream of UTF-8 lines whose watermark has not yet advanced. */
  public static EventTestStream create() {
    return new EventTestStream(TestStream.create(StringUtf8Coder.of()), null);
  }

  /** Adds the events as one batch, each stamped with its {@link EventJson#eventTime()}. */
  public EventTestStream add(EventJson first, EventJson... more) {
    List<TimestampedValue<String>> lines = new ArrayList<>();
    lines.add(TimestampedValue.of(first.toJson(), first.eventTime()));
    for (EventJson event : more) {
      lines.add(TimestampedValue.of(event.toJson(), event.eventTime()));
    }
    return addTimestamped(lines);
  }

  /**
   * Adds raw lines (blank, malformed, or valid JSON written by hand) as one batch, all stamped with
   * {@code timestamp}.
   */
  public EventTestStream addLines(Instant timestamp, String first, String... more) {
    List<TimestampedValue<String>> lines = new ArrayList<>();
    lines.add(TimestampedValue.of(first, timestamp));
    Arrays.stream(more).forEach(line -> lines.add(TimestampedValue.of(line, timestamp)));
    return addTimestamped(lines);
  }

  /**
   * Moves the watermark to {@code time}: windows ending at or before it fire, and later lines with
   * an earlier event time are late.
   *
   * @throws IllegalArgumentException if {@code time} is not after the current watermark
   */
  public EventTestStream advanceWatermarkTo(Instant time) {
    if (watermark != null && !time.isAfter(watermark)) {
      throw new IllegalArgumentException(
          "the watermark only moves forward: it is at " + watermark + ", asked for " + time);
    }
    return new EventTestStream(builder.advanceWatermarkTo(time), time);
  }

  /** Moves processing time on by {@code amount} (fires processing-time timers and triggers). */
  public EventTestStream advanceProcessingTime(Duration amount) {
    return new EventTestStream(builder.advanceProcessingTime(amount), watermark);
  }

  /** Ends the stream: the watermark goes to infinity and every window closes. */
  public TestStream<String> advanceWatermarkToInfinity() {
    return builder.advanceWatermarkToInfinity();
  }

  private EventTestStream addTimestamped(List<TimestampedValue<String>> lines) {
    TestStream.Builder<String> next =
        builder.addElements(lines.get(0), lines.subList(1, lines.size()).toArray(newArray(0)));
    return new EventTestStream(next, watermark);
  }

  @SuppressWarnings("unchecked")
  private static TimestampedValue<String>[] newArray(int size) {
    return (TimestampedValue<String>[]) new TimestampedValue<?>[size];
  }
}
