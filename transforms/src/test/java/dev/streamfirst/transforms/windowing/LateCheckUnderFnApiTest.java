package dev.streamfirst.transforms.windowing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.harness.FnApiLikeHarness;
import dev.streamfirst.transforms.harness.FnApiLikeHarness.Output;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The lateness check where {@code Timer.getCurrentRelativeTime()} is not the watermark (the Fn API
 * harness: the element's timestamp in {@code @ProcessElement}). An element it lets through must
 * reach the aggregation while that one's watermark (at most this step's output watermark) has not
 * passed the element's window expiry; otherwise the aggregation drops it silently.
 */
public class LateCheckUnderFnApiTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Rule
  public final transient TestPipeline p =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  @Test
  public void elementAfterItsWindowClosed_isDeadLettered_notLetThroughToBeDropped() {
    FnApiLikeHarness check = lateCheck("fixed:1m");

    check.process(KV.of(0, "onTime"), at(10));
    check.advanceWatermarkTo(at(121));
    check.process(KV.of(0, "tooLate"), at(50));

    Output tooLate = only(check, "tooLate");
    assertNotDroppedDownstream(tooLate, at(60).minus(Duration.millis(1)));
    assertEquals("late", tooLate.tag());
  }

  @Test
  public void elementLetThrough_alwaysReachesAnAggregationThatStillTakesIt() {
    FnApiLikeHarness check = lateCheck("fixed:1m");

    check.process(KV.of(0, "first"), at(10));
    check.advanceWatermarkTo(at(121));
    // [60s, 120s) closed at 121s; the check may not have learned that yet, but then the
    // aggregation must not have either.
    check.process(KV.of(0, "justLate"), at(100));
    check.advanceWatermarkTo(at(400));
    check.process(KV.of(0, "later"), at(390));

    assertNotDroppedDownstream(only(check, "justLate"), at(120).minus(Duration.millis(1)));
    assertNotDroppedDownstream(only(check, "later"), at(420).minus(Duration.millis(1)));
  }

  @Test
  public void endOfInput_releasesTheWatermark_inFewFirings() {
    FnApiLikeHarness check = lateCheck("fixed:1m");

    check.process(KV.of(0, "e"), at(10));
    check.advanceWatermarkTo(GlobalWindow.INSTANCE.maxTimestamp());

    assertEquals(GlobalWindow.INSTANCE.maxTimestamp(), check.outputWatermark());
    assertTrue("firings: " + check.firings(), check.firings() < 200);
  }

  private FnApiLikeHarness lateCheck(String window) {
    p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity())
        .apply(EventWindows.<String>of(WindowSpec.parse(window)).withLateDeadLetters(s -> s));
    return FnApiLikeHarness.ofStep(p, "SplitLate");
  }

  private static Output only(FnApiLikeHarness check, String payload) {
    Output found = null;
    for (Output o : check.outputs()) {
      Object v = o.value();
      String text = v instanceof DeadLetter d ? d.payload() : String.valueOf(v);
      if (text.equals(payload)) {
        assertFalse(payload + " came out twice", found != null);
        found = o;
      }
    }
    assertTrue(payload + " never came out: " + check.outputs(), found != null);
    return found;
  }

  /** A dead letter, or let through before the aggregation's watermark passed {@code expiry}. */
  private static void assertNotDroppedDownstream(Output out, Instant expiry) {
    if ("late".equals(out.tag())) {
      return;
    }
    assertFalse(
        "let through while the output watermark was already at "
            + out.outputWatermark()
            + ", past the window's expiry "
            + expiry
            + ": the aggregation drops it silently",
        out.outputWatermark().isAfter(expiry));
  }

  private static Instant at(int seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }
}
