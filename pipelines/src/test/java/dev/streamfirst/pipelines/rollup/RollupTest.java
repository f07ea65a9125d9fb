package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.transforms.aggregate.Stats;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import dev.streamfirst.transforms.windowing.WindowSpec;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** The {@link Rollup} transform on a {@link TestStream}: triggers and late data. */
public class RollupTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final IntervalWindow MINUTE = new IntervalWindow(T0, Duration.standardMinutes(1));

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void lateBeyondAllowedLateness_goesToDeadLettersWithStageLate() {
    EventJson late = EventJson.event("late", "k", at(30), 9);
    TestStream<String> stream =
        EventTestStream.create()
            .add(EventJson.event("e1", "k", at(10), 1))
            .advanceWatermarkTo(at(60 + 45))
            .add(late)
            .advanceWatermarkToInfinity();

    Result<StatsRow> result =
        p.apply(stream)
            .apply(
                Rollup.of(
                    RollupSettings.builder()
                        .setAllowedLateness(Duration.standardSeconds(30))
                        .build()));

    PAssert.that(
            result
                .deadLetters()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.stage() + "|" + d.payload())))
        .containsInAnyOrder("late|" + late.toJson());
    PAssert.that(result.output())
        .inOnTimePane(MINUTE)
        .containsInAnyOrder(row(1, 1, Timing.ON_TIME, 0, true));
    p.run();
  }

  @Test
  public void earlyFiringsEveryCount_emitEarlyRows() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(EventJson.event("e1", "k", at(1), 1))
            .add(EventJson.event("e2", "k", at(2), 1))
            .add(EventJson.event("e3", "k", at(3), 1))
            .advanceWatermarkToInfinity();

    Result<StatsRow> result =
        p.apply(stream)
            .apply(
                Rollup.of(
                    RollupSettings.builder()
                        .setWindow(WindowSpec.parse("fixed:1m"))
                        .setTrigger(TriggerPolicy.onTimeOnly().withEarlyFiringsEveryCount(2))
                        .build()));

    PAssert.that(result.output())
        .inEarlyPane(MINUTE)
        .containsInAnyOrder(row(2, 2, Timing.EARLY, 0, false));
    PAssert.that(result.output())
        .inFinalPane(MINUTE)
        .containsInAnyOrder(row(3, 3, Timing.ON_TIME, 1, true));
    PAssert.that(result.deadLetters()).empty();
    p.run();
  }

  private static StatsRow row(long count, double sum, Timing timing, long index, boolean isFinal) {
    return StatsRow.of(
        "k", MINUTE.start(), MINUTE.end(), Stats.of(count, sum, 1, 1, 1), timing, index, isFinal);
  }

  private static Instant at(int seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }
}
