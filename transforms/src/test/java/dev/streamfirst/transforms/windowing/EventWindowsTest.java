package dev.streamfirst.transforms.windowing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.transforms.aggregate.Stats;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.WindowedStats;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.ParseEvents;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Event-time windowing and per-window stats end to end: JSON lines in a {@link TestStream}, parsed,
 * windowed by {@link EventWindows} and aggregated by {@link WindowedStats}.
 */
@RunWith(JUnit4.class)
public class EventWindowsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final IntervalWindow FIRST_MINUTE = new IntervalWindow(T0, MINUTE);
  private static final IntervalWindow SECOND_MINUTE = new IntervalWindow(T0.plus(MINUTE), MINUTE);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void onTimeWindows_emitOneFinalRowPerKeyAndWindow() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(
                event("a1", "a", at(5), 1),
                event("a2", "a", at(20), 3),
                event("b1", "b", at(30), -2.5),
                event("a3", "a", at(70), 5))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("fixed:1m"), Duration.ZERO);

    StatsRow a = row("a", FIRST_MINUTE, 2, 4, 1, 3, 2, Timing.ON_TIME, 0, true);
    StatsRow b = row("b", FIRST_MINUTE, 1, -2.5, -2.5, -2.5, -2.5, Timing.ON_TIME, 0, true);
    StatsRow a2 = row("a", SECOND_MINUTE, 1, 5, 5, 5, 5, Timing.ON_TIME, 0, true);
    PAssert.that(rows).inOnTimePane(FIRST_MINUTE).containsInAnyOrder(a, b);
    PAssert.that(rows).inFinalPane(SECOND_MINUTE).containsInAnyOrder(a2);
    PAssert.that(rows).containsInAnyOrder(a, b, a2);
    p.run();
  }

  @Test
  public void outOfOrderWithinWindow_countedOnTime() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e3", "k", at(40), 4))
            .advanceWatermarkTo(at(30))
            // Behind the watermark, but its window has not closed: not late.
            .add(event("e1", "k", at(10), 1))
            .add(event("e2", "k", at(25), 10), event("e0", "k", at(0), 2))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("fixed:1m"), Duration.ZERO);

    StatsRow expected = row("k", FIRST_MINUTE, 4, 17, 1, 10, 4.25, Timing.ON_TIME, 0, true);
    PAssert.that(rows).inOnTimePane(FIRST_MINUTE).containsInAnyOrder(expected);
    PAssert.that(rows).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void lateWithinAllowedLateness_emitsLatePaneWithCorrectedTotal() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", "k", at(10), 1), event("e2", "k", at(20), 2))
            .advanceWatermarkTo(at(90))
            .add(event("late", "k", at(50), 6))
            .advanceWatermarkTo(at(120))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows =
        rollup(stream, WindowSpec.parse("fixed:1m"), Duration.standardMinutes(2));

    StatsRow onTime = row("k", FIRST_MINUTE, 2, 3, 1, 2, 1.5, Timing.ON_TIME, 0, false);
    StatsRow late = row("k", FIRST_MINUTE, 3, 9, 1, 6, 3, Timing.LATE, 1, false);
    // When the lateness runs out the window closes with a last pane, marked final.
    StatsRow closing = row("k", FIRST_MINUTE, 3, 9, 1, 6, 3, Timing.LATE, 2, true);
    PAssert.that(rows).inOnTimePane(FIRST_MINUTE).containsInAnyOrder(onTime);
    PAssert.that(rows).inLatePane(FIRST_MINUTE).containsInAnyOrder(late, closing);
    PAssert.that(rows).inFinalPane(FIRST_MINUTE).containsInAnyOrder(closing);
    PAssert.that(rows).containsInAnyOrder(onTime, late, closing);
    p.run();
  }

  @Test
  public void eachLateArrival_emitsAnotherLatePane_withTheRunningTotal() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", "k", at(10), 4))
            .advanceWatermarkTo(at(70))
            .add(event("late1", "k", at(20), 2))
            .advanceWatermarkTo(at(80))
            .add(event("late2", "k", at(30), 9))
            .advanceWatermarkTo(at(90))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows =
        rollup(stream, WindowSpec.parse("fixed:1m"), Duration.standardMinutes(5));

    StatsRow late1 = row("k", FIRST_MINUTE, 2, 6, 2, 4, 3, Timing.LATE, 1, false);
    StatsRow late2 = row("k", FIRST_MINUTE, 3, 15, 2, 9, 5, Timing.LATE, 2, false);
    StatsRow closing = row("k", FIRST_MINUTE, 3, 15, 2, 9, 5, Timing.LATE, 3, true);
    PAssert.that(rows).inLatePane(FIRST_MINUTE).containsInAnyOrder(late1, late2, closing);
    PAssert.that(rows)
        .containsInAnyOrder(
            row("k", FIRST_MINUTE, 1, 4, 4, 4, 4, Timing.ON_TIME, 0, false), late1, late2, closing);
    p.run();
  }

  @Test
  public void boundedInput_withoutLateness_everyWindowIsFinal() {
    PCollection<String> lines =
        p.apply(
            "Lines",
            Create.of(
                event("e1", "k", at(10), 1).toJson(),
                event("e2", "k", at(70), 2).toJson(),
                event("e3", "k", at(15), 3).toJson()));

    PCollection<StatsRow> rows = rollup(lines, WindowSpec.parse("fixed:1m"), Duration.ZERO);

    StatsRow first = row("k", FIRST_MINUTE, 2, 4, 1, 3, 2, Timing.ON_TIME, 0, true);
    StatsRow second = row("k", SECOND_MINUTE, 1, 2, 2, 2, 2, Timing.ON_TIME, 0, true);
    PAssert.that(rows).inFinalPane(FIRST_MINUTE).containsInAnyOrder(first);
    PAssert.that(rows).inFinalPane(SECOND_MINUTE).containsInAnyOrder(second);
    PAssert.that(rows).containsInAnyOrder(first, second);
    p.run();
  }

  @Test
  public void lateBeyondAllowedLateness_isNotCounted() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", "k", at(10), 1), event("e2", "k", at(20), 2))
            .advanceWatermarkTo(at(60 + 30))
            .advanceWatermarkTo(at(60 + 60 + 1))
            // The window ended at 10:01 and its lateness at 10:02: this one is dropped.
            .add(event("tooLate", "k", at(50), 100))
            .add(event("next", "k", at(130), 7))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("fixed:1m"), MINUTE);

    IntervalWindow third = new IntervalWindow(T0.plus(MINUTE).plus(MINUTE), MINUTE);
    // The first window fired at 10:01:30, inside its lateness, so that pane cannot be final; the
    // third one fires when the watermark jumps past its end and its lateness at once, so it is.
    StatsRow first = row("k", FIRST_MINUTE, 2, 3, 1, 2, 1.5, Timing.ON_TIME, 0, false);
    // The closing pane carries the same totals: the too-late event was not counted.
    StatsRow closing = row("k", FIRST_MINUTE, 2, 3, 1, 2, 1.5, Timing.LATE, 1, true);
    PAssert.that(rows).inOnTimePane(FIRST_MINUTE).containsInAnyOrder(first);
    PAssert.that(rows).inLatePane(FIRST_MINUTE).containsInAnyOrder(closing);
    PAssert.that(rows)
        .containsInAnyOrder(
            first, closing, row("k", third, 1, 7, 7, 7, 7, Timing.ON_TIME, 0, true));
    p.run();
  }

  @Test
  public void sessionsMerge_whenGapBridged() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", "k", at(0), 1), event("e2", "k", at(40), 3))
            .advanceWatermarkTo(at(5))
            // [0s, 30s) and [40s, 70s) are apart; [20s, 50s) overlaps both and joins them.
            .add(event("bridge", "k", at(20), 2))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("session:30s"), Duration.ZERO);

    IntervalWindow merged = new IntervalWindow(at(0), at(70));
    StatsRow expected = row("k", merged, 3, 6, 1, 3, 2, Timing.ON_TIME, 0, true);
    PAssert.that(rows).inOnTimePane(merged).containsInAnyOrder(expected);
    PAssert.that(rows).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void sessionsStayApart_withoutABridge() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", "k", at(0), 1), event("e2", "k", at(40), 3))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("session:30s"), Duration.ZERO);

    PAssert.that(rows)
        .containsInAnyOrder(
            row("k", new IntervalWindow(at(0), at(30)), 1, 1, 1, 1, 1, Timing.ON_TIME, 0, true),
            row("k", new IntervalWindow(at(40), at(70)), 1, 3, 3, 3, 3, Timing.ON_TIME, 0, true));
    p.run();
  }

  @Test
  public void sessionsDoNotMerge_whenExactlyOneGapApart() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", "k", at(0), 1), event("e2", "k", at(30), 2))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("session:30s"), Duration.ZERO);

    // [0s, 30s) and [30s, 60s) touch but do not overlap, and Beam merges only overlapping sessions.
    IntervalWindow firstSession = new IntervalWindow(at(0), at(30));
    IntervalWindow secondSession = new IntervalWindow(at(30), at(60));
    StatsRow first = row("k", firstSession, 1, 1, 1, 1, 1, Timing.ON_TIME, 0, true);
    StatsRow second = row("k", secondSession, 1, 2, 2, 2, 2, Timing.ON_TIME, 0, true);
    PAssert.that(rows).inOnTimePane(firstSession).containsInAnyOrder(first);
    PAssert.that(rows).inOnTimePane(secondSession).containsInAnyOrder(second);
    PAssert.that(rows).containsInAnyOrder(first, second);
    p.run();
  }

  @Test
  public void sessionsMerge_whenLessThanOneGapApart() {
    TestStream<String> stream =
        EventTestStream.create()
            .addLines(
                at(0),
                "{\"id\":\"e1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00.000Z\",\"value\":1}",
                "{\"id\":\"e2\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:29.999Z\",\"value\":2}")
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("session:30s"), Duration.ZERO);

    IntervalWindow merged = new IntervalWindow(at(0), at(0).plus(Duration.millis(59_999)));
    PAssert.that(rows)
        .containsInAnyOrder(row("k", merged, 2, 3, 1, 2, 1.5, Timing.ON_TIME, 0, true));
    p.run();
  }

  @Test
  public void slidingWindows_eachEventInSizeOverPeriodWindows() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", "k", at(50), 1), event("e2", "k", at(65), 2))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("sliding:1m/20s"), Duration.ZERO);

    // 1m / 20s = 3 windows per event: e1 (10:00:50) is in those starting 10:00:00, :20 and :40;
    // e2 (10:01:05) in those starting 10:00:20, :40 and 10:01:00.
    PAssert.that(rows)
        .containsInAnyOrder(
            row("k", new IntervalWindow(at(0), MINUTE), 1, 1, 1, 1, 1, Timing.ON_TIME, 0, true),
            row("k", new IntervalWindow(at(20), MINUTE), 2, 3, 1, 2, 1.5, Timing.ON_TIME, 0, true),
            row("k", new IntervalWindow(at(40), MINUTE), 2, 3, 1, 2, 1.5, Timing.ON_TIME, 0, true),
            row("k", new IntervalWindow(at(60), MINUTE), 1, 2, 2, 2, 2, Timing.ON_TIME, 0, true));
    PAssert.that(rows)
        .inOnTimePane(new IntervalWindow(at(20), MINUTE))
        .containsInAnyOrder(
            row("k", new IntervalWindow(at(20), MINUTE), 2, 3, 1, 2, 1.5, Timing.ON_TIME, 0, true));
    p.run();
  }

  @Test
  public void keysAreAggregatedSeparately_inTheSameWindow() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(
                event("1", "key \"with\", quotes", at(1), 10),
                event("2", "ключ", at(2), 20),
                event("3", "key \"with\", quotes", at(3), 30))
            .advanceWatermarkToInfinity();

    PCollection<StatsRow> rows = rollup(stream, WindowSpec.parse("fixed:1m"), Duration.ZERO);

    PAssert.that(rows)
        .inFinalPane(FIRST_MINUTE)
        .containsInAnyOrder(
            row("key \"with\", quotes", FIRST_MINUTE, 2, 40, 10, 30, 20, Timing.ON_TIME, 0, true),
            row("ключ", FIRST_MINUTE, 1, 20, 20, 20, 20, Timing.ON_TIME, 0, true));
    p.run();
  }

  @Test
  public void withAllowedLateness_negative_isRefusedWithTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EventWindows.of(WindowSpec.parse("fixed:1m"))
                    .withAllowedLateness(Duration.millis(-1)));

    assertEquals("withAllowedLateness() must be zero or positive, got -1ms", e.getMessage());
  }

  @Test
  public void of_null_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EventWindows.of(null));

    assertEquals("EventWindows.of() needs a WindowSpec, got null", e.getMessage());
  }

  @Test
  public void displayData_showsWindowAndLatenessInCommandLineForm() {
    DisplayData data =
        DisplayData.from(
            EventWindows.of(WindowSpec.parse("sliding:300s/60s"))
                .withAllowedLateness(Duration.standardMinutes(2)));

    assertEquals("sliding:5m/1m", item(data, "window"));
    assertEquals("2m", item(data, "allowedLateness"));
  }

  private PCollection<StatsRow> rollup(
      TestStream<String> stream, WindowSpec spec, Duration allowedLateness) {
    return rollup(p.apply("Lines", stream), spec, allowedLateness);
  }

  private static PCollection<StatsRow> rollup(
      PCollection<String> lines, WindowSpec spec, Duration allowedLateness) {
    return lines
        .apply("Parse", ParseEvents.create())
        .output()
        .apply("Window", EventWindows.<Event>of(spec).withAllowedLateness(allowedLateness))
        .apply(
            "KeyValues",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                .via((Event e) -> KV.of(e.key(), e.value())))
        .apply("Stats", WindowedStats.perKey());
  }

  private static EventJson event(String id, String key, Instant ts, double value) {
    return EventJson.event(id, key, ts, value);
  }

  private static Instant at(int secondsAfterT0) {
    return T0.plus(Duration.standardSeconds(secondsAfterT0));
  }

  private static StatsRow row(
      String key,
      IntervalWindow window,
      long count,
      double sum,
      double min,
      double max,
      double mean,
      Timing timing,
      long paneIndex,
      boolean isFinal) {
    return StatsRow.of(
        key,
        window.start(),
        window.end(),
        Stats.of(count, sum, min, max, mean),
        timing,
        paneIndex,
        isFinal);
  }

  private static String item(DisplayData data, String key) {
    return data.items().stream()
        .filter(i -> i.getKey().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no display item " + key))
        .getValue()
        .toString();
  }
}
