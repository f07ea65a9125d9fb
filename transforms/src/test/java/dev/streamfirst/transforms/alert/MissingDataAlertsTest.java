package dev.streamfirst.transforms.alert;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** Elements are {@code "key:anything"} strings stamped with their event time. */
public class MissingDataAlertsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration GAP = Duration.standardMinutes(5);
  private static final SerializableFunction<String, String> KEY = s -> s.split(":")[0];
  private static final String RULE = "no events for 5m";

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void missingData_alertsAfterGap() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:1", 0), at("b:1", 0))
            .addElements(at("a:2", 30), at("b:2", 60))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(5)))
            .addElements(at("b:3", 299))
            // a was last heard at 0:30: silent for more than 5m once the watermark passes 5:30.
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(8)))
            .addElements(at("a:3", 660), at("b:4", 500))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(12)))
            .advanceWatermarkToInfinity();

    PCollection<Alert> alerts = p.apply(events).apply(MissingDataAlerts.of(KEY, GAP));

    PAssert.that(alerts)
        .containsInAnyOrder(
            Alert.opened("a", RULE, sec(330), "no events since 2026-11-25T10:00:30.000Z"),
            Alert.resolved("a", RULE, sec(660), "events again after 2026-11-25T10:00:30.000Z"));
    p.run();
  }

  @Test
  public void missingData_onABoundedInput_isFoundBetweenEvents_notAtTheEnd() {
    PCollection<String> events =
        p.apply(
            Create.timestamped(at("a:3", 700), at("a:1", 0), at("a:2", 100), at("b:1", 0))
                .withCoder(StringUtf8Coder.of()));

    PAssert.that(events.apply(MissingDataAlerts.of(KEY, GAP)))
        .containsInAnyOrder(
            Alert.opened("a", RULE, sec(400), "no events since 2026-11-25T10:01:40.000Z"),
            Alert.resolved("a", RULE, sec(700), "events again after 2026-11-25T10:01:40.000Z"));
    p.run();
  }

  @Test
  public void eventExactlyOneGapLater_isNoSilence() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:1", 0))
            .advanceWatermarkTo(T0.plus(GAP))
            .addElements(at("a:2", 300))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(6)))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(events).apply(MissingDataAlerts.of(KEY, GAP))).empty();
    p.run();
  }

  @Test
  public void invalidSettings_areRefusedWithAnExample() {
    assertEquals(
        "MissingDataAlerts.of() needs a positive gap, e.g. 5m, got 0ms",
        assertThrows(IllegalArgumentException.class, () -> MissingDataAlerts.of(KEY, Duration.ZERO))
            .getMessage());
    assertEquals("no events for 5m", MissingDataAlerts.of(KEY, GAP).rule());
  }

  private static TimestampedValue<String> at(String element, long seconds) {
    return TimestampedValue.of(element, sec(seconds));
  }

  private static Instant sec(long seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }
}
