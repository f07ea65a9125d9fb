package dev.streamfirst.transforms.alert;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.harness.FnApiLikeHarness;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Silences where {@code Timer.getCurrentRelativeTime()} is not the watermark (the Fn API harness:
 * the firing time in {@code @OnTimer}): the end of a bounded input must still not be a silence.
 */
public class MissingDataUnderFnApiTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Rule
  public final transient TestPipeline p =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  @Test
  public void endOfABoundedInput_isNoSilence() {
    p.apply(Create.of("a", "b").withCoder(StringUtf8Coder.of()))
        .apply(MissingDataAlerts.of(s -> s, Duration.standardMinutes(5)));
    FnApiLikeHarness silences = FnApiLikeHarness.ofStep(p, "FindSilences");

    silences.process(KV.of("a", 0L), T0);
    silences.process(KV.of("a", 0L), T0.plus(Duration.standardMinutes(1)));
    silences.process(KV.of("b", 0L), T0);
    silences.advanceWatermarkTo(BoundedWindow.TIMESTAMP_MAX_VALUE);

    assertEquals("alerts at the end of the input", 0, silences.outputs().size());
  }

  @Test
  public void silenceBetweenEventsOfABoundedInput_isFound() {
    p.apply(Create.of("a").withCoder(StringUtf8Coder.of()))
        .apply(MissingDataAlerts.of(s -> s, Duration.standardMinutes(5)));
    FnApiLikeHarness silences = FnApiLikeHarness.ofStep(p, "FindSilences");

    silences.process(KV.of("a", 0L), T0.plus(Duration.standardMinutes(10)));
    silences.process(KV.of("a", 0L), T0);
    silences.advanceWatermarkTo(BoundedWindow.TIMESTAMP_MAX_VALUE);

    assertEquals(
        "[Alert{key=a, rule=no events for 5m, status=OPEN, at=2026-11-25T10:05:00.000Z,"
            + " detail=no events since 2026-11-25T10:00:00.000Z}, Alert{key=a, rule=no events for"
            + " 5m, status=RESOLVED, at=2026-11-25T10:10:00.000Z, detail=events again after"
            + " 2026-11-25T10:00:00.000Z}]",
        silences.outputs().stream().map(o -> o.value()).toList().toString());
  }

  @Test
  public void hotKey_pendingTimesAreNotRewrittenOnEveryWatermarkStep() {
    p.apply(Create.of("a").withCoder(StringUtf8Coder.of()))
        .apply(MissingDataAlerts.of(s -> s, Duration.standardMinutes(5)));
    FnApiLikeHarness silences = FnApiLikeHarness.ofStep(p, "FindSilences");

    int events = 2_000;
    for (int i = 0; i < events; i++) {
      silences.process(KV.of("hot", 0L), T0.plus(Duration.standardSeconds(i)));
    }
    for (int i = 0; i < events; i++) {
      silences.advanceWatermarkTo(T0.plus(Duration.standardSeconds(i)));
    }

    // Each event is written once, and each release writes back a few runs: linear, not the
    // two million writes of rewriting every pending time on each of 2,000 steps.
    assertTrue("bag writes: " + silences.bagAdds(), silences.bagAdds() < 3L * events);
    assertEquals(0, silences.outputs().size());
  }

  @Test
  public void keySilentLongerThanForgetAfter_isForgotten_andItsAlertResolved() {
    p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity())
        .apply(MissingDataAlerts.of(s -> s, Duration.standardMinutes(5)));
    FnApiLikeHarness silences = FnApiLikeHarness.ofStep(p, "FindSilences");

    silences.process(KV.of("gone", 0L), T0);
    silences.advanceWatermarkTo(T0.plus(Duration.standardDays(8)));

    assertEquals(
        "[Alert{key=gone, rule=no events for 5m, status=OPEN, at=2026-11-25T10:05:00.000Z,"
            + " detail=no events since 2026-11-25T10:00:00.000Z}, Alert{key=gone, rule=no events"
            + " for 5m, status=RESOLVED, at=2026-12-02T10:00:00.000Z, detail=no events since"
            + " 2026-11-25T10:00:00.000Z: forgotten after 7d; its next event starts afresh}]",
        silences.outputs().stream().map(o -> o.value()).toList().toString());
    assertEquals(null, silences.state("gone", "lastSeen"));
    assertEquals(null, silences.state("gone", "open"));
    assertEquals(0, silences.pendingTimers());
  }

  @Test
  public void forgetAfter_shorterThanTheGap_isRefused() {
    MissingDataAlerts<String> alerts = MissingDataAlerts.of(s -> s, Duration.standardMinutes(5));
    assertEquals(
        "withForgetAfter() must be at least the gap 5m, got 1m",
        assertThrows(
                IllegalArgumentException.class,
                () -> alerts.withForgetAfter(Duration.standardMinutes(1)))
            .getMessage());
  }
}
