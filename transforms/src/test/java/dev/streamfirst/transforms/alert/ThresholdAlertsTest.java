package dev.streamfirst.transforms.alert;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.transforms.aggregate.Stats;
import dev.streamfirst.transforms.aggregate.Summary;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.harness.FnApiLikeHarness;
import java.lang.reflect.Proxy;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** Summary rows of one-minute windows go in; alert changes come out. */
public class ThresholdAlertsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final ThresholdRule RULE = ThresholdRule.parse("mean > 80 for 3 windows");

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void alertOpensOnceAndResolvesOnce() {
    TestStream<SummaryRow> rows =
        stream()
            .addElements(row(0, 90), row(1, 85))
            .advanceWatermarkTo(minute(2))
            .addElements(row(2, 95), row(3, 99), row(4, 81))
            .advanceWatermarkTo(minute(5))
            .addElements(row(5, 40), row(6, 99))
            .advanceWatermarkToInfinity();

    PCollection<Alert> alerts = p.apply(rows).apply(ThresholdAlerts.of(RULE));

    PAssert.that(alerts)
        .containsInAnyOrder(
            Alert.opened(
                "k",
                "mean > 80 for 3 windows",
                minute(3),
                "mean 95.0 in [2026-11-25T10:02:00.000Z, 2026-11-25T10:03:00.000Z)"),
            Alert.resolved(
                "k",
                "mean > 80 for 3 windows",
                minute(6),
                "mean 40.0 in [2026-11-25T10:05:00.000Z, 2026-11-25T10:06:00.000Z)"));
    p.run();
  }

  @Test
  public void fewerConsecutiveWindowsThanTheRule_openNothing() {
    TestStream<SummaryRow> rows =
        stream()
            .addElements(row(0, 90), row(1, 85), row(2, 10), row(3, 99), row(4, 99))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(rows).apply(ThresholdAlerts.of(RULE))).empty();
    p.run();
  }

  @Test
  public void rowsArrivingOutOfOrder_areJudgedInWindowOrder() {
    // Window 1 is below the threshold: in window order there are never 3 in a row.
    TestStream<SummaryRow> rows =
        stream()
            .addElements(row(2, 90), row(0, 90))
            .addElements(row(3, 90), row(1, 10))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(rows).apply(ThresholdAlerts.of(RULE))).empty();
    p.run();
  }

  @Test
  public void windowsApartInTime_areNotConsecutive() {
    // 10:00, 10:01, then nothing until 11:00: three rows, but never three windows in a row.
    TestStream<SummaryRow> rows =
        stream()
            .addElements(row(0, 90), row(1, 90))
            .advanceWatermarkTo(minute(30))
            .addElements(row(60, 90))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(rows).apply(ThresholdAlerts.of(RULE))).empty();
    p.run();
  }

  @Test
  public void openAlert_resolvesWhenTheKeyGoesSilent() {
    TestStream<SummaryRow> rows =
        stream()
            .addElements(row(0, 90), row(1, 90), row(2, 90))
            .advanceWatermarkTo(minute(3))
            // The stream goes on, the key sends nothing more.
            .advanceWatermarkTo(minute(10))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(rows).apply(ThresholdAlerts.of(RULE)))
        .containsInAnyOrder(
            Alert.opened(
                "k",
                "mean > 80 for 3 windows",
                minute(3),
                "mean 90.0 in [2026-11-25T10:02:00.000Z, 2026-11-25T10:03:00.000Z)"),
            Alert.resolved(
                "k",
                "mean > 80 for 3 windows",
                minute(4),
                "no data in [2026-11-25T10:03:00.000Z, 2026-11-25T10:04:00.000Z)"));
    p.run();
  }

  @Test
  public void rowsOutOfOrderOverSeveralReleases_withAMissingWindow_restartTheStreak() {
    // Window 2 has no data: windows 0, 1 and 3, 4, 5 are the runs; only the second has 3.
    TestStream<SummaryRow> rows =
        stream()
            .addElements(row(1, 90), row(0, 90))
            .advanceWatermarkTo(minute(2))
            .addElements(row(4, 90), row(3, 90))
            .advanceWatermarkTo(minute(5))
            .addElements(row(5, 90))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(rows).apply(ThresholdAlerts.of(RULE)))
        .containsInAnyOrder(
            Alert.opened(
                "k",
                "mean > 80 for 3 windows",
                minute(6),
                "mean 90.0 in [2026-11-25T10:05:00.000Z, 2026-11-25T10:06:00.000Z)"));
    p.run();
  }

  @Test
  public void slidingWindows_withOneWindowMissing_restartTheStreak() {
    // 3-minute windows every minute; data only in [1m, 2m) and [5m, 6m), so window [2m, 5m) has
    // no row, while the windows on either side of it still overlap each other.
    TestStream<SummaryRow> rows =
        stream()
            .addElements(sliding(0, 90), sliding(1, 90), sliding(3, 90), sliding(4, 90))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(rows).apply(ThresholdAlerts.of(RULE))).empty();
    p.run();
  }

  @Test
  public void aKeyThatWentQuiet_isForgotten() {
    p.enableAbandonedNodeEnforcement(false);
    p.apply(stream().advanceWatermarkToInfinity()).apply(ThresholdAlerts.of(RULE));
    FnApiLikeHarness evaluate = FnApiLikeHarness.ofStep(p, "EvaluateRule");

    evaluate.process(KV.of("k", row(0, 90).getValue()), row(0, 90).getTimestamp());
    evaluate.process(KV.of("k", row(1, 90).getValue()), row(1, 90).getTimestamp());
    evaluate.advanceWatermarkTo(minute(10));

    assertEquals(null, evaluate.state("k", "streak"));
    assertEquals(null, evaluate.state("k", "pending"));
    assertEquals(0, evaluate.pendingTimers());
  }

  @Test
  public void discardingPanesWithEarlyFirings_areRefused_withTheFix() {
    p.enableAbandonedNodeEnforcement(false);
    PCollection<SummaryRow> rows =
        p.apply(stream().advanceWatermarkToInfinity())
            .apply(
                Window.<SummaryRow>into(FixedWindows.of(Duration.standardMinutes(1)))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withEarlyFirings(AfterPane.elementCountAtLeast(10)))
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes());

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> rows.apply(ThresholdAlerts.of(RULE)));
    assertThat(e.getMessage(), containsString("use accumulating panes"));
  }

  @Test
  public void earlyAndLatePanes_doNotMoveAlerts() {
    TestStream<SummaryRow> rows =
        stream()
            .addElements(
                row(0, 90, Timing.EARLY), row(1, 90, Timing.EARLY), row(2, 90, Timing.LATE))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(rows).apply(ThresholdAlerts.of(RULE))).empty();
    p.run();
  }

  @Test
  public void rule_parsesAndPrintsCanonically() {
    assertEquals("mean > 80 for 3 windows", ThresholdRule.parse("mean>80.0 for 3").toString());
    assertEquals(
        "p99 <= 2.5 for 1 window", ThresholdRule.parse(" p99 <= 2.5 for 1 window ").toString());
  }

  @Test
  public void rule_badText_saysWhatIsWrongWithAnExample() {
    assertEquals(
        "rule 'mean above 80' is not <metric> <op> <number> for <n> windows, e.g. mean > 80 for 3"
            + " windows",
        assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse("mean above 80"))
            .getMessage());
    assertEquals(
        "rule 'avg > 1 for 2': unknown metric 'avg'; use one of count, sum, min, max, mean, p50,"
            + " p95, p99, distinct, e.g. mean > 80 for 3 windows",
        assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse("avg > 1 for 2"))
            .getMessage());
    assertEquals(
        "rule 'max > 1 for 0': needs at least 1 window, e.g. mean > 80 for 3 windows",
        assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse("max > 1 for 0"))
            .getMessage());
  }

  private static TestStream.Builder<SummaryRow> stream() {
    return TestStream.create(SerializableCoder.of(SummaryRow.class));
  }

  private static TimestampedValue<SummaryRow> row(int minute, double mean) {
    return row(minute, mean, Timing.ON_TIME);
  }

  private static TimestampedValue<SummaryRow> row(int minute, double mean, Timing timing) {
    SummaryRow row =
        SummaryRow.of(
            "k",
            minute(minute),
            minute(minute + 1),
            Summary.of(Stats.of(1, mean, mean, mean, mean), mean, mean, mean, 1),
            timing,
            0,
            true);
    return TimestampedValue.of(row, minute(minute + 1).minus(Duration.millis(1)));
  }

  /** A 3-minute window starting at {@code minute}, as sliding:3m/1m makes them. */
  private static TimestampedValue<SummaryRow> sliding(int minute, double mean) {
    SummaryRow row =
        SummaryRow.of(
            "k",
            minute(minute),
            minute(minute + 3),
            Summary.of(Stats.of(1, mean, mean, mean, mean), mean, mean, mean, 1),
            Timing.ON_TIME,
            0,
            true);
    return TimestampedValue.of(row, minute(minute + 3).minus(Duration.millis(1)));
  }

  private static Instant minute(int m) {
    return T0.plus(Duration.standardMinutes(m));
  }

  @Test
  public void of_null_isRefusedWithAnExample() {
    assertEquals(
        "ThresholdAlerts.of() needs a rule, e.g. ThresholdRule.parse(\"mean > 80 for 3 windows\"),"
            + " got null",
        assertThrows(IllegalArgumentException.class, () -> ThresholdAlerts.of(null)).getMessage());
  }

  @Test
  public void watermarkPastEveryWindow_asFlinkReportsAFinishedInput_isKeptInRange() {
    // FlinkRunner's streaming mode reports the final watermark as Long.MAX_VALUE, and the alert's
    // release once overflowed adding a millisecond to it.
    Instant fired = BoundedWindow.TIMESTAMP_MAX_VALUE.minus(Duration.standardDays(1));

    assertEquals(
        BoundedWindow.TIMESTAMP_MAX_VALUE,
        ThresholdAlerts.EvaluateFn.watermarkAtLeast(fired, timerAt(new Instant(Long.MAX_VALUE))));
    assertEquals(
        fired, ThresholdAlerts.EvaluateFn.watermarkAtLeast(fired, timerAt(new Instant(0))));
    Instant later = fired.plus(Duration.standardHours(1));
    assertEquals(later, ThresholdAlerts.EvaluateFn.watermarkAtLeast(fired, timerAt(later)));
  }

  /** A timer that only reports {@code watermark} as its time domain's current time. */
  private static Timer timerAt(Instant watermark) {
    return (Timer)
        Proxy.newProxyInstance(
            Timer.class.getClassLoader(),
            new Class<?>[] {Timer.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getCurrentRelativeTime")) {
                return watermark;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
