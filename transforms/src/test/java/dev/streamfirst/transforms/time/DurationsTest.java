package dev.streamfirst.transforms.time;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DurationsTest {

  @Test
  public void parse_milliseconds() {
    assertEquals(Duration.millis(250), Durations.parse("250ms"));
  }

  @Test
  public void parse_seconds() {
    assertEquals(Duration.millis(30_000), Durations.parse("30s"));
  }

  @Test
  public void parse_minutes() {
    assertEquals(Duration.millis(5 * 60_000), Durations.parse("5m"));
  }

  @Test
  public void parse_hours() {
    assertEquals(Duration.millis(2 * 3_600_000), Durations.parse("2h"));
  }

  @Test
  public void parse_days() {
    assertEquals(Duration.millis(86_400_000), Durations.parse("1d"));
  }

  @Test
  public void parse_zeroAndLeadingZeros() {
    assertEquals(Duration.ZERO, Durations.parse("0s"));
    assertEquals(Duration.millis(7_000), Durations.parse("007s"));
  }

  @Test
  public void parse_surroundingWhitespace_isIgnored() {
    assertEquals(Duration.millis(30_000), Durations.parse(" 30s\t"));
  }

  @Test
  public void parse_largestMillis_isAccepted() {
    assertEquals(Duration.millis(Long.MAX_VALUE), Durations.parse(Long.MAX_VALUE + "ms"));
  }

  @Test
  public void parse_null_saysOneIsRequired() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));

    assertEquals("a duration is required, e.g. 250ms, 30s, 5m, 2h or 1d", e.getMessage());
  }

  @Test
  public void parse_badForms_areRefusedNamingTheTextAndTheValidForms() {
    String[] bad = {
      "", "   ", "30", "s", "m5", "5 m", "5M", "5min", "1.5s", "-5s", "+5s", "5s5", "1h30m", "ms",
      "abc", "٣s"
    };
    for (String text : bad) {
      IllegalArgumentException e =
          assertThrows(text, IllegalArgumentException.class, () -> Durations.parse(text));
      assertEquals(
          "'"
              + text
              + "' is not a duration: use a whole number and a unit, e.g. "
              + Durations.EXAMPLES,
          e.getMessage());
    }
  }

  @Test
  public void parse_numberBeyondLong_isRefusedAsTooLarge() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Durations.parse("99999999999999999999s"));

    assertEquals("'99999999999999999999s' is too large a duration", e.getMessage());
  }

  @Test
  public void format_picksTheLargestExactUnit() {
    assertEquals("250ms", Durations.format(Duration.millis(250)));
    assertEquals("1500ms", Durations.format(Duration.millis(1_500)));
    assertEquals("30s", Durations.format(Duration.standardSeconds(30)));
    assertEquals("90s", Durations.format(Duration.standardSeconds(90)));
    assertEquals("1m", Durations.format(Duration.standardSeconds(60)));
    assertEquals("5m", Durations.format(Duration.standardMinutes(5)));
    assertEquals("2h", Durations.format(Duration.standardMinutes(120)));
    assertEquals("36h", Durations.format(Duration.standardHours(36)));
    assertEquals("1d", Durations.format(Duration.standardHours(24)));
    assertEquals("0ms", Durations.format(Duration.ZERO));
  }

  @Test
  public void formatThenParse_roundTrips() {
    long[] millis = {
      0,
      1,
      999,
      1_000,
      1_001,
      59_999,
      60_000,
      61_000,
      3_600_000,
      5_400_000,
      86_400_000,
      86_400_001,
      7 * 86_400_000L,
      Long.MAX_VALUE
    };
    for (long ms : millis) {
      Duration d = Duration.millis(ms);
      assertEquals(Durations.format(d), d, Durations.parse(Durations.format(d)));
    }
  }

  @Test
  public void parseThenFormat_normalisesToTheShortestForm() {
    assertEquals("1m", Durations.format(Durations.parse("60s")));
    assertEquals("1d", Durations.format(Durations.parse("24h")));
    assertEquals("1s", Durations.format(Durations.parse("1000ms")));
    assertEquals("250ms", Durations.format(Durations.parse("250ms")));
  }
}
