package dev.streamfirst.testing.kit;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Times and windows for tests, written the way a person reads them: {@code at("10:00:05")} is that
 * time of day on {@link #TEST_DAY} (UTC), so a scenario's events, watermarks and windows line up at
 * a glance.
 *
 * <pre>{@code
 * EventJson click = event("c-1", "user-1", at("10:00:05"), 1);
 * IntervalWindow minute = window(at("10:00"), minutes(1));   // [10:00, 10:01)
 * }</pre>
 */
public final class Times {
  /** The day {@link #at} times fall on: the day the project's own fixtures use. */
  public static final LocalDate TEST_DAY = LocalDate.of(2026, 11, 25);

  private Times() {}

  /**
   * {@code "10:00"}, {@code "10:00:05"} or {@code "10:00:05.250"} on {@link #TEST_DAY} in UTC, or a
   * full ISO-8601 instant such as {@code "2026-11-25T10:00:05Z"}.
   *
   * @throws IllegalArgumentException showing the forms accepted
   */
  public static Instant at(String time) {
    if (time == null) {
      throw new IllegalArgumentException("at() needs a time such as \"10:00:05\", got null");
    }
    try {
      if (time.contains("T")) {
        return new Instant(java.time.Instant.parse(time).toEpochMilli());
      }
      return new Instant(
          LocalTime.parse(time).atDate(TEST_DAY).toInstant(ZoneOffset.UTC).toEpochMilli());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "at() takes \"HH:mm\", \"HH:mm:ss\", \"HH:mm:ss.SSS\" (on "
              + TEST_DAY
              + ", UTC) or an ISO-8601 instant such as \"2026-11-25T10:00:05Z\", got \""
              + time
              + "\"",
          e);
    }
  }

  /** The window {@code [start, start + size)}, as fixed, sliding and session windows are. */
  public static IntervalWindow window(Instant start, Duration size) {
    if (size == null || size.getMillis() <= 0) {
      throw new IllegalArgumentException("window() needs a positive size, got " + size);
    }
    return new IntervalWindow(start, size);
  }

  /** The window {@code [at(start), at(end))}, e.g. {@code window("10:00", "10:01")}. */
  public static IntervalWindow window(String start, String end) {
    return window(at(start), new Duration(at(start), at(end)));
  }

  public static Duration millis(long n) {
    return Duration.millis(n);
  }

  public static Duration seconds(long n) {
    return Duration.standardSeconds(n);
  }

  public static Duration minutes(long n) {
    return Duration.standardMinutes(n);
  }

  public static Duration hours(long n) {
    return Duration.standardHours(n);
  }
}
