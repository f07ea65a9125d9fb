package dev.streamfirst.transforms.windowing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.transforms.windowing.AfterFirst;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.joda.time.Duration;
import org.junit.Test;

public class TriggerPolicyTest {
  private static final Duration TEN_SECONDS = Duration.standardSeconds(10);

  @Test
  public void onTimeOnly_firesAtTheWatermarkAndPerLateElement() {
    Trigger expected =
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));

    assertEquals(expected, TriggerPolicy.onTimeOnly().toTrigger());
    assertEquals(TriggerPolicy.Panes.ACCUMULATING, TriggerPolicy.onTimeOnly().panes());
  }

  @Test
  public void earlyByTimeAndCount_firesOnWhicheverComesFirst() {
    Trigger trigger =
        TriggerPolicy.onTimeOnly()
            .withEarlyFiringsEvery(TEN_SECONDS)
            .withEarlyFiringsEveryCount(100)
            .toTrigger();

    assertEquals(
        AfterWatermark.pastEndOfWindow()
            .withEarlyFirings(
                AfterFirst.of(
                    AfterProcessingTime.pastFirstElementInPane().plusDelayOf(TEN_SECONDS),
                    AfterPane.elementCountAtLeast(100)))
            .withLateFirings(AfterPane.elementCountAtLeast(1)),
        trigger);
  }

  @Test
  public void toString_saysThePolicyInWords() {
    assertEquals("on time, late per element, accumulating", TriggerPolicy.onTimeOnly().toString());
    assertEquals(
        "early every 10s or 100 elements, late every 1m, discarding",
        TriggerPolicy.onTimeOnly()
            .withEarlyFiringsEvery(TEN_SECONDS)
            .withEarlyFiringsEveryCount(100)
            .withLateFiringsEvery(Duration.standardMinutes(1))
            .discarding()
            .toString());
  }

  @Test
  public void invalidSettings_areRefusedWithTheFix() {
    TriggerPolicy policy = TriggerPolicy.onTimeOnly();
    assertEquals(
        "withEarlyFiringsEvery() must be positive, e.g. 10s, got 0ms",
        assertThrows(
                IllegalArgumentException.class, () -> policy.withEarlyFiringsEvery(Duration.ZERO))
            .getMessage());
    assertEquals(
        "withEarlyFiringsEveryCount() must be at least 1, e.g. 100, got 0",
        assertThrows(IllegalArgumentException.class, () -> policy.withEarlyFiringsEveryCount(0))
            .getMessage());
    assertEquals(
        "withLateFiringsEvery() must be positive, e.g. 30s, got null",
        assertThrows(IllegalArgumentException.class, () -> policy.withLateFiringsEvery(null))
            .getMessage());
    assertEquals(
        "withTrigger() needs a policy, e.g. TriggerPolicy.onTimeOnly(), got null",
        assertThrows(
                IllegalArgumentException.class,
                () -> EventWindows.of(WindowSpec.global()).withTrigger(null))
            .getMessage());
  }
}
