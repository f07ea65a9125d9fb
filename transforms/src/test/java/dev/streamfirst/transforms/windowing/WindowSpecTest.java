package dev.streamfirst.transforms.windowing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.apache.beam.sdk.transforms.windowing.CalendarWindows;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.joda.time.DateTimeZone;
import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class WindowSpecTest {
  private static final String ALL_FORMS =
      "fixed:<size> (e.g. fixed:60s), sliding:<size>/<period> (e.g. sliding:5m/1m),"
          + " session:<gap> (e.g. session:30s), calendar:<days>d[@<time zone>]"
          + " (e.g. calendar:1d@Europe/Paris), global (e.g. global)";

  @Test
  public void pattern_acceptsEveryKindsExample_andTheirPrintedForm() {
    for (WindowSpec.Kind kind : WindowSpec.Kind.values()) {
      assertTrue(kind.example(), kind.example().matches(WindowSpec.PATTERN));
      assertTrue(
          kind.example(), WindowSpec.parse(kind.example()).toString().matches(WindowSpec.PATTERN));
    }
  }

  @Test
  public void pattern_takesTheKindInAnyCase_asParseDoes() {
    for (String good : new String[] {"FIXED:1m", "Sliding:5m/1m", "SESSION:30s", "GLOBAL"}) {
      assertTrue(good, good.matches(WindowSpec.PATTERN));
      WindowSpec.parse(good);
    }
  }

  @Test
  public void pattern_refusesWhatParseRefuses() {
    for (String bad : new String[] {"fixd:1m", "fixed:", "sliding:5m", "session:soon"}) {
      assertFalse(bad, bad.matches(WindowSpec.PATTERN));
      assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse(bad));
    }
  }

  @Test
  public void fixed_parsesAndPrints() {
    WindowSpec spec = WindowSpec.parse("fixed:60s");

    assertEquals(WindowSpec.Kind.FIXED, spec.kind());
    assertEquals(Duration.standardSeconds(60), spec.size());
    assertEquals(Duration.standardSeconds(60), spec.period());
    assertEquals("fixed:1m", spec.toString());
    assertEquals(FixedWindows.of(Duration.standardMinutes(1)), spec.toWindowFn());
  }

  @Test
  public void sliding_parsesAndPrints() {
    WindowSpec spec = WindowSpec.parse("sliding:5m/1m");

    assertEquals(WindowSpec.Kind.SLIDING, spec.kind());
    assertEquals(Duration.standardMinutes(5), spec.size());
    assertEquals(Duration.standardMinutes(1), spec.period());
    assertEquals("sliding:5m/1m", spec.toString());
    assertEquals(
        SlidingWindows.of(Duration.standardMinutes(5)).every(Duration.standardMinutes(1)),
        spec.toWindowFn());
  }

  @Test
  public void sliding_periodEqualToSize_isAllowed() {
    assertEquals(
        WindowSpec.sliding(Duration.standardMinutes(1), Duration.standardMinutes(1)),
        WindowSpec.parse("sliding:1m/60s"));
  }

  @Test
  public void session_parsesAndPrints() {
    WindowSpec spec = WindowSpec.parse("session:30s");

    assertEquals(WindowSpec.Kind.SESSION, spec.kind());
    assertEquals(Duration.standardSeconds(30), spec.size());
    assertEquals("session:30s", spec.toString());
    assertEquals(Sessions.withGapDuration(Duration.standardSeconds(30)), spec.toWindowFn());
  }

  @Test
  public void kindIsCaseInsensitive_andSpacesAroundPartsAreIgnored() {
    assertEquals(WindowSpec.fixed(Duration.standardMinutes(1)), WindowSpec.parse(" FIXED : 1m "));
    assertEquals(
        WindowSpec.sliding(Duration.standardMinutes(5), Duration.standardSeconds(30)),
        WindowSpec.parse("Sliding:5m/30s"));
  }

  @Test
  public void printThenParse_roundTrips() {
    WindowSpec[] specs = {
      WindowSpec.fixed(Duration.millis(250)),
      WindowSpec.fixed(Duration.standardSeconds(90)),
      WindowSpec.fixed(Duration.standardDays(1)),
      WindowSpec.sliding(Duration.standardMinutes(5), Duration.standardMinutes(1)),
      WindowSpec.sliding(Duration.standardHours(1), Duration.millis(1_500)),
      WindowSpec.session(Duration.standardSeconds(30)),
      WindowSpec.session(Duration.standardHours(2)),
      WindowSpec.calendarDays(1, "UTC"),
      WindowSpec.calendarDays(7, "Asia/Kolkata"),
      WindowSpec.global(),
    };
    for (WindowSpec spec : specs) {
      assertEquals(spec.toString(), spec, WindowSpec.parse(spec.toString()));
    }
  }

  @Test
  public void parseThenPrint_givesTheCanonicalText() {
    String[] canonical = {
      "fixed:1m",
      "fixed:250ms",
      "sliding:5m/1m",
      "sliding:1h/90s",
      "session:30s",
      "calendar:1d",
      "calendar:2d@Europe/Paris",
      "global"
    };
    for (String text : canonical) {
      assertEquals(text, WindowSpec.parse(text).toString());
    }
  }

  @Test
  public void unknownKind_listsTheValidKinds() {
    assertEquals("unknown window kind 'fixd'; valid forms: " + ALL_FORMS, messageOf("fixd:1m"));
    assertEquals(WindowSpec.FORMS, ALL_FORMS);
  }

  @Test
  public void emptyKind_listsTheValidKinds() {
    assertEquals("unknown window kind ''; valid forms: " + ALL_FORMS, messageOf(":1m"));
  }

  @Test
  public void missingOrBlank_listsTheValidForms() {
    assertEquals("a window is required; valid forms: " + ALL_FORMS, messageOf(null));
    assertEquals("a window is required; valid forms: " + ALL_FORMS, messageOf("  "));
  }

  @Test
  public void fixedWithoutDuration_showsTheForm() {
    assertEquals(
        "window 'fixed:' lacks its duration; use fixed:<size>, e.g. fixed:60s",
        messageOf("fixed:"));
    assertEquals(
        "window 'fixed' lacks its duration; use fixed:<size>, e.g. fixed:60s", messageOf("fixed"));
  }

  @Test
  public void slidingWithoutPeriod_asksForSizeAndPeriod() {
    assertEquals(
        "window 'sliding:5m': a sliding window needs a size and a period:"
            + " sliding:<size>/<period>; e.g. sliding:5m/1m",
        messageOf("sliding:5m"));
  }

  @Test
  public void slidingWithPeriodLongerThanSize_isRefused() {
    assertThat(
        messageOf("sliding:1m/5m"),
        allOf(
            startsWith(
                "window 'sliding:1m/5m': a sliding window's period must not exceed its size"),
            containsString("got size 1m and period 5m"),
            containsString("e.g. sliding:5m/1m")));
  }

  @Test
  public void sessionWithZeroGap_isRefused() {
    assertEquals(
        "window 'session:0s': session gap must be positive, got 0ms; e.g. session:30s",
        messageOf("session:0s"));
  }

  @Test
  public void fixedWithZeroSize_isRefused() {
    assertEquals(
        "window 'fixed:0ms': fixed window size must be positive, got 0ms; e.g. fixed:60s",
        messageOf("fixed:0ms"));
  }

  @Test
  public void fixedWithNonDuration_explainsDurations() {
    assertEquals(
        "window 'fixed:abc': 'abc' is not a duration: use a whole number and a unit,"
            + " e.g. 250ms, 30s, 5m, 2h or 1d; e.g. fixed:60s",
        messageOf("fixed:abc"));
  }

  @Test
  public void slidingWithThreeParts_isRefused() {
    assertThat(
        messageOf("sliding:5m/1m/1s"),
        allOf(
            startsWith("window 'sliding:5m/1m/1s': "),
            containsString("'1m/1s' is not a duration")));
  }

  @Test
  public void factories_refuseNonPositiveDurations() {
    assertEquals(
        "sliding window period must be positive, got 0ms",
        assertThrows(
                IllegalArgumentException.class,
                () -> WindowSpec.sliding(Duration.standardMinutes(1), Duration.ZERO))
            .getMessage());
    assertEquals(
        "session gap must be positive, got null",
        assertThrows(IllegalArgumentException.class, () -> WindowSpec.session(null)).getMessage());
  }

  private static String messageOf(String text) {
    return assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse(text)).getMessage();
  }

  @Test
  public void calendar_parsesDaysAndZone() {
    WindowSpec spec = WindowSpec.parse("calendar:1d@Europe/Paris");

    assertEquals(WindowSpec.Kind.CALENDAR, spec.kind());
    assertEquals(Duration.standardDays(1), spec.size());
    assertEquals("Europe/Paris", spec.zone());
    assertTrue(
        CalendarWindows.days(1)
            .withTimeZone(DateTimeZone.forID("Europe/Paris"))
            .isCompatible(spec.toWindowFn()));
    assertEquals(WindowSpec.calendarDays(1, "UTC"), WindowSpec.parse("calendar:1d"));
  }

  @Test
  public void calendar_unknownZone_namesTheZoneAndAnExample() {
    assertEquals(
        "window 'calendar:1d@Mars/Olympus': unknown time zone 'Mars/Olympus'; use an IANA id"
            + " such as Europe/Paris, or UTC; e.g. calendar:1d@Europe/Paris",
        messageOf("calendar:1d@Mars/Olympus"));
  }

  @Test
  public void calendar_notWholeDays_saysHowToWriteIt() {
    assertEquals(
        "window 'calendar:12h': calendar windows are whole days, written like 1d or 7d, got"
            + " '12h'; e.g. calendar:1d@Europe/Paris",
        messageOf("calendar:12h"));
    assertEquals(
        "window 'calendar:0d': calendar windows must be at least 1 day, got 0;"
            + " e.g. calendar:1d@Europe/Paris",
        messageOf("calendar:0d"));
  }

  @Test
  public void global_parsesWithoutDuration_andRefusesOne() {
    assertEquals(WindowSpec.Kind.GLOBAL, WindowSpec.parse(" Global ").kind());
    assertEquals(new GlobalWindows(), WindowSpec.global().toWindowFn());
    assertEquals(
        "window 'global:1m': the global window takes no duration; write global",
        messageOf("global:1m"));
  }
}
