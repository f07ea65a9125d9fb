package dev.streamfirst.transforms.windowing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.transforms.aggregate.Stats;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.WindowedStats;
import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Trigger policies and late data, one {@link TestStream} scenario each: JSON lines parsed, windowed
 * by {@link EventWindows} with late data kept as dead letters, aggregated per key and window.
 */
public class TriggersAndLateDataTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final IntervalWindow FIRST_MINUTE = new IntervalWindow(T0, MINUTE);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void earlyFiringsEveryKElements_emitEarlyPanes() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(5), 1))
            .add(event("e2", at(10), 2))
            .add(event("e3", at(20), 4))
            .advanceWatermarkToInfinity();

    Out out =
        run(stream, windows("fixed:1m", TriggerPolicy.onTimeOnly().withEarlyFiringsEveryCount(2)));

    StatsRow early = row(FIRST_MINUTE, 2, 3, 1, 2, 1.5, Timing.EARLY, 0, false);
    StatsRow onTime = row(FIRST_MINUTE, 3, 7, 1, 4, 7 / 3.0, Timing.ON_TIME, 1, true);
    PAssert.that(out.rows).inEarlyPane(FIRST_MINUTE).containsInAnyOrder(early);
    PAssert.that(out.rows).inOnTimePane(FIRST_MINUTE).containsInAnyOrder(onTime);
    PAssert.that(out.rows).inFinalPane(FIRST_MINUTE).containsInAnyOrder(onTime);
    PAssert.that(out.late).empty();
    p.run();
  }

  @Test
  public void earlyFiringsEveryProcessingTime_emitEarlyPanes() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(5), 1))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .add(event("e2", at(10), 3))
            .advanceWatermarkToInfinity();

    Out out =
        run(
            stream,
            windows(
                "fixed:1m",
                TriggerPolicy.onTimeOnly().withEarlyFiringsEvery(Duration.standardSeconds(10))));

    PAssert.that(out.rows)
        .inEarlyPane(FIRST_MINUTE)
        .containsInAnyOrder(row(FIRST_MINUTE, 1, 1, 1, 1, 1, Timing.EARLY, 0, false));
    PAssert.that(out.rows)
        .inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder(row(FIRST_MINUTE, 2, 4, 1, 3, 2, Timing.ON_TIME, 1, true));
    p.run();
  }

  @Test
  public void discardingPanes_holdOnlyWhatIsNew() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(5), 1))
            .add(event("e2", at(10), 2))
            .add(event("e3", at(20), 4))
            .advanceWatermarkToInfinity();

    Out out =
        run(
            stream,
            windows(
                "fixed:1m", TriggerPolicy.onTimeOnly().withEarlyFiringsEveryCount(2).discarding()));

    PAssert.that(out.rows)
        .inEarlyPane(FIRST_MINUTE)
        .containsInAnyOrder(row(FIRST_MINUTE, 2, 3, 1, 2, 1.5, Timing.EARLY, 0, false));
    PAssert.that(out.rows)
        .inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder(row(FIRST_MINUTE, 1, 4, 4, 4, 4, Timing.ON_TIME, 1, true));
    p.run();
  }

  @Test
  public void discardingPanes_emptyClosingPane_emitsNoRow() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(10), 1))
            .advanceWatermarkTo(at(90))
            .advanceWatermarkToInfinity();

    Out out =
        run(
            stream,
            windows("fixed:1m", TriggerPolicy.onTimeOnly().discarding())
                .withAllowedLateness(MINUTE));

    // The window closes with a pane of nothing new: no row of count 0 with no min, max or mean.
    PAssert.that(out.rows)
        .containsInAnyOrder(row(FIRST_MINUTE, 1, 1, 1, 1, 1, Timing.ON_TIME, 0, false));
    p.run();
  }

  @Test
  public void globalWindowOnAStream_withoutEarlyFirings_isRefusedWithTheFix() {
    EventWindows<String> global = EventWindows.of(WindowSpec.global());
    PCollection<String> stream =
        p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity());

    IllegalArgumentException plain =
        assertThrows(IllegalArgumentException.class, () -> stream.apply("Plain", global));
    IllegalArgumentException withLate =
        assertThrows(
            IllegalArgumentException.class,
            () -> stream.apply("WithLate", global.withLateDeadLetters(s -> s)));
    for (IllegalArgumentException e : List.of(plain, withLate)) {
      assertThat(e.getMessage(), containsString("would never fire"));
      assertThat(e.getMessage(), containsString("withEarlyFiringsEvery"));
    }
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void lateWithinAllowedLateness_emitsLatePane() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(10), 1))
            .advanceWatermarkTo(at(90))
            .add(event("late", at(50), 5))
            .advanceWatermarkToInfinity();

    Out out =
        run(stream, windows("fixed:1m", TriggerPolicy.onTimeOnly()).withAllowedLateness(MINUTE));

    StatsRow onTime = row(FIRST_MINUTE, 1, 1, 1, 1, 1, Timing.ON_TIME, 0, false);
    StatsRow late = row(FIRST_MINUTE, 2, 6, 1, 5, 3, Timing.LATE, 1, false);
    StatsRow closing = row(FIRST_MINUTE, 2, 6, 1, 5, 3, Timing.LATE, 2, true);
    PAssert.that(out.rows).inOnTimePane(FIRST_MINUTE).containsInAnyOrder(onTime);
    PAssert.that(out.rows).inLatePane(FIRST_MINUTE).containsInAnyOrder(late, closing);
    PAssert.that(out.rows).inFinalPane(FIRST_MINUTE).containsInAnyOrder(closing);
    PAssert.that(out.late).empty();
    p.run();
  }

  @Test
  public void lateBeyondAllowedLateness_goesToDeadLetters() {
    EventJson tooLate = event("tooLate", at(50), 100);
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(10), 1))
            .advanceWatermarkTo(at(60 + 60 + 1))
            .add(tooLate)
            .add(event("next", at(130), 7))
            .advanceWatermarkToInfinity();

    Out out =
        run(stream, windows("fixed:1m", TriggerPolicy.onTimeOnly()).withAllowedLateness(MINUTE));

    // The watermark passed the window's end and its lateness at once: one pane, on time and final.
    // Its totals never include the late event, which is kept, exactly, as a dead letter.
    PAssert.that(out.rows)
        .inFinalPane(FIRST_MINUTE)
        .containsInAnyOrder(row(FIRST_MINUTE, 1, 1, 1, 1, 1, Timing.ON_TIME, 0, true));
    PAssert.that(stageAndPayload(out.late)).containsInAnyOrder("late|" + tooLate.toJson());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1L, counter(result, StreamfirstMetrics.LATE_EVENTS));
  }

  @Test
  public void lateBeyondAllowedLateness_deadLetterSaysWhy() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(10), 1))
            .advanceWatermarkTo(at(61))
            .add(event("tooLate", at(50), 100))
            .advanceWatermarkToInfinity();

    Out out = run(stream, windows("fixed:1m", TriggerPolicy.onTimeOnly()));

    PAssert.that(
            out.late.apply(
                "Errors", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::error)))
        .containsInAnyOrder(
            "arrived after its windows closed: event time 2026-11-25T10:00:50.000Z, last window"
                + " [2026-11-25T10:00:00.000Z, 2026-11-25T10:01:00.000Z) plus allowed lateness"
                + " 0ms ended at 2026-11-25T10:01:00.000Z, watermark already at"
                + " 2026-11-25T10:01:01.000Z");
    p.run();
  }

  @Test
  public void lateForOneSlidingWindow_butOnTimeForAnother_isCountedNotDeadLettered() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(45), 1))
            .advanceWatermarkTo(at(70))
            // In [0s, 60s) (closed), [20s, 80s) and [40s, 100s) (both still open).
            .add(event("e2", at(50), 2))
            .advanceWatermarkToInfinity();

    Out out = run(stream, windows("sliding:1m/20s", TriggerPolicy.onTimeOnly()));

    IntervalWindow open = new IntervalWindow(at(20), MINUTE);
    PAssert.that(out.rows)
        .inOnTimePane(open)
        .containsInAnyOrder(row(open, 2, 3, 1, 2, 1.5, Timing.ON_TIME, 0, true));
    PAssert.that(out.late).empty();
    p.run();
  }

  @Test
  public void lateSessionEvent_beyondLateness_goesToDeadLetters() {
    EventJson tooLate = event("tooLate", at(10), 5);
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(0), 1))
            // Its own session would be [10s, 40s): closed once the watermark passes 40s.
            .advanceWatermarkTo(at(41))
            .add(tooLate)
            .advanceWatermarkToInfinity();

    Out out = run(stream, windows("session:30s", TriggerPolicy.onTimeOnly()));

    IntervalWindow session = new IntervalWindow(at(0), at(30));
    PAssert.that(out.rows).containsInAnyOrder(row(session, 1, 1, 1, 1, 1, Timing.ON_TIME, 0, true));
    PAssert.that(stageAndPayload(out.late)).containsInAnyOrder("late|" + tooLate.toJson());
    p.run();
  }

  @Test
  public void calendarDays_startAtLocalMidnightOfTheZone() {
    // 23:30 UTC on the 25th is 00:30 on the 26th in Paris (UTC+1 in November).
    TestStream<String> stream =
        EventTestStream.create()
            .add(
                event("e1", Instant.parse("2026-11-25T22:59:00Z"), 1),
                event("e2", Instant.parse("2026-11-25T23:30:00Z"), 2))
            .advanceWatermarkToInfinity();

    Out out = run(stream, windows("calendar:1d@Europe/Paris", TriggerPolicy.onTimeOnly()));

    IntervalWindow day25 =
        new IntervalWindow(
            Instant.parse("2026-11-24T23:00:00Z"), Instant.parse("2026-11-25T23:00:00Z"));
    IntervalWindow day26 =
        new IntervalWindow(
            Instant.parse("2026-11-25T23:00:00Z"), Instant.parse("2026-11-26T23:00:00Z"));
    PAssert.that(out.rows)
        .containsInAnyOrder(
            row(day25, 1, 1, 1, 1, 1, Timing.ON_TIME, 0, true),
            row(day26, 1, 2, 2, 2, 2, Timing.ON_TIME, 0, true));
    p.run();
  }

  @Test
  public void globalWindow_emitsEarlyPanesThenAFinalOne() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", at(5), 1))
            .add(event("e2", at(500), 2))
            .add(event("e3", at(5000), 3))
            .advanceWatermarkToInfinity();

    Out out =
        run(stream, windows("global", TriggerPolicy.onTimeOnly().withEarlyFiringsEveryCount(2)));

    Instant start = BoundedWindow.TIMESTAMP_MIN_VALUE;
    Instant end = GlobalWindow.INSTANCE.maxTimestamp().plus(Duration.millis(1));
    PAssert.that(out.rows)
        .inEarlyPane(GlobalWindow.INSTANCE)
        .containsInAnyOrder(row(start, end, 2, 3, 1, 2, 1.5, Timing.EARLY, 0, false));
    PAssert.that(out.rows)
        .inFinalPane(GlobalWindow.INSTANCE)
        .containsInAnyOrder(row(start, end, 3, 6, 1, 3, 2, Timing.ON_TIME, 1, true));
    p.run();
  }

  @Test
  public void copyLaterThanTheDedupTtl_isCaughtAsLate_notCountedTwice() {
    // Dedup forgets e1 once the watermark is a TTL (1m) past it; the copy that comes after that
    // cannot be recognised by Dedup, but its window has closed, so it is a late dead letter.
    EventJson e1 = event("e1", at(10), 1);
    TestStream<String> stream =
        EventTestStream.create()
            .add(e1)
            .advanceWatermarkTo(at(10 + 60 + 30))
            .add(e1)
            .advanceWatermarkToInfinity();

    Result<Event> windowed =
        p.apply("Lines", stream)
            .apply("Parse", ParseEvents.create())
            .output()
            .apply("Dedup", Dedup.byId(Event::id).withTtl(MINUTE))
            .apply(
                "Window",
                windows("fixed:1m", TriggerPolicy.onTimeOnly())
                    .withLateDeadLetters(Event::payload));
    PCollection<StatsRow> rows =
        windowed
            .output()
            .apply(
                "KeyValues",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                    .via((Event e) -> KV.of(e.key(), e.value())))
            .apply("Stats", WindowedStats.perKey());

    PAssert.that(rows)
        .containsInAnyOrder(row(FIRST_MINUTE, 1, 1, 1, 1, 1, Timing.ON_TIME, 0, true));
    PAssert.that(stageAndPayload(windowed.deadLetters())).containsInAnyOrder("late|" + e1.toJson());
    p.run();
  }

  private static EventWindows<Event> windows(String spec, TriggerPolicy policy) {
    return EventWindows.<Event>of(WindowSpec.parse(spec)).withTrigger(policy);
  }

  /** The rows and the late dead letters of one run. */
  private static final class Out {
    final PCollection<StatsRow> rows;
    final PCollection<DeadLetter> late;

    Out(PCollection<StatsRow> rows, PCollection<DeadLetter> late) {
      this.rows = rows;
      this.late = late;
    }
  }

  private Out run(TestStream<String> stream, EventWindows<Event> windows) {
    Result<Event> windowed =
        p.apply("Lines", stream)
            .apply("Parse", ParseEvents.create())
            .output()
            .apply("Window", windows.withLateDeadLetters(Event::payload));
    PCollection<StatsRow> rows =
        windowed
            .output()
            .apply(
                "KeyValues",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                    .via((Event e) -> KV.of(e.key(), e.value())))
            .apply("Stats", WindowedStats.perKey());
    return new Out(rows, windowed.deadLetters());
  }

  private static PCollection<String> stageAndPayload(PCollection<DeadLetter> letters) {
    return letters.apply(
        "StageAndPayload",
        MapElements.into(TypeDescriptors.strings()).via(d -> d.stage() + "|" + d.payload()));
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(StreamfirstMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  private static EventJson event(String id, Instant ts, double value) {
    return EventJson.event(id, "k", ts, value);
  }

  private static Instant at(int secondsAfterT0) {
    return T0.plus(Duration.standardSeconds(secondsAfterT0));
  }

  private static StatsRow row(
      IntervalWindow window,
      long count,
      double sum,
      double min,
      double max,
      double mean,
      Timing timing,
      long paneIndex,
      boolean isFinal) {
    return row(
        window.start(), window.end(), count, sum, min, max, mean, timing, paneIndex, isFinal);
  }

  private static StatsRow row(
      Instant start,
      Instant end,
      long count,
      double sum,
      double min,
      double max,
      double mean,
      Timing timing,
      long paneIndex,
      boolean isFinal) {
    return StatsRow.of(
        "k", start, end, Stats.of(count, sum, min, max, mean), timing, paneIndex, isFinal);
  }

  @Test
  public void withLateDeadLetters_refusesNullAndWindowedInput_withTheFix() {
    EventWindows<Event> windows = windows("fixed:1m", TriggerPolicy.onTimeOnly());
    assertEquals(
        "withLateDeadLetters() needs a payload function, e.g. Event::payload, got null",
        assertThrows(IllegalArgumentException.class, () -> windows.withLateDeadLetters(null))
            .getMessage());

    PCollection<Event> windowed =
        p.apply(Create.of(Event.of("e", "k", T0, 1, "{}")).withCoder(EventCoder.of()))
            .apply("AlreadyWindowed", windows);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> windowed.apply(windows.withLateDeadLetters(Event::payload)));
    assertThat(e.getMessage(), containsString("apply EventWindows instead of that windowing"));
    p.enableAbandonedNodeEnforcement(false);
  }
}
