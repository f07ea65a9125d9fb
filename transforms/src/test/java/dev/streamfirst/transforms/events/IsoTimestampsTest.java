package dev.streamfirst.transforms.events;

import static org.junit.Assert.assertEquals;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class IsoTimestampsTest {

  @Test
  public void agreesWithOffsetDateTime_onEdgeCases() {
    List<String> cases =
        Arrays.asList(
            "2026-11-25T10:00:03.250Z",
            "2026-11-25T10:00:03Z",
            "2026-11-25T10:00:03.2Z",
            "2026-11-25T10:00:03.123456789Z",
            "2026-11-25T10:00:03.1234567891Z",
            "2026-11-25T10:00:03.Z",
            "2026-11-25T10:00Z",
            "2026-11-25t10:00:03Z",
            "2026-11-25T10:00:03z",
            "2026-11-25T10:00:03+00:00",
            "2026-11-25T10:00:03.999-08:00",
            "2024-02-29T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z",
            "2026-11-00T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T23:60:00Z",
            "2026-11-25T23:59:60Z",
            "0000-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "1900-03-01T12:34:56.7Z",
            "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z",
            "2026-11-25 10:00:03Z",
            "2026-1a-25T10:00:03Z",
            "2026-11-25T10:00:03.12a4Z",
            "２０２６-11-25T10:00:03Z",
            "",
            "2026-11-25T10:00:03.250ZZ");
    for (String text : cases) {
      assertSameAsOffsetDateTime(text);
    }
  }

  @Test
  public void agreesWithOffsetDateTime_onRandomAndMangledTimestamps() {
    Random random = new Random(20261127L);
    String alphabet = "0123456789-:.TZtz+ ";
    for (int i = 0; i < 20_000; i++) {
      String text = randomTimestamp(random);
      if (random.nextInt(3) == 0) {
        char[] chars = text.toCharArray();
        chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
        text = new String(chars);
      }
      assertSameAsOffsetDateTime(text);
    }
  }

  private static String randomTimestamp(Random random) {
    String fraction =
        random.nextBoolean()
            ? ""
            : "."
                + String.format(Locale.ROOT, "%09d", random.nextInt(1_000_000_000))
                    .substring(0, 1 + random.nextInt(9));
    return String.format(
        Locale.ROOT,
        "%04d-%02d-%02dT%02d:%02d:%02d%sZ",
        random.nextInt(10_000),
        random.nextInt(14),
        random.nextInt(33),
        random.nextInt(25),
        random.nextInt(61),
        random.nextInt(61),
        fraction);
  }

  private static void assertSameAsOffsetDateTime(String text) {
    String expected;
    try {
      expected = Long.toString(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    } catch (RuntimeException e) {
      expected = e.getClass().getSimpleName();
    }
    String actual;
    try {
      actual = Long.toString(IsoTimestamps.toEpochMillis(text));
    } catch (RuntimeException e) {
      actual = e.getClass().getSimpleName();
    }
    assertEquals(text, expected, actual);
  }
}
