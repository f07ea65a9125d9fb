package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.windowing.EventWindows;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import dev.streamfirst.transforms.windowing.WindowSpec;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.junit.Test;

public class PaneTimingTest {
  @Test
  public void batchRunnersOnlyFiring_isReportedOnTime() {
    // What FlinkRunner's batch mode attaches to every combined window.
    assertEquals(Timing.ON_TIME, PaneTiming.of(PaneInfo.NO_FIRING));
  }

  @Test
  public void streamingPanes_keepTheirTiming() {
    assertEquals(
        Timing.EARLY, PaneTiming.of(PaneInfo.createPane(true, false, Timing.EARLY, 0, -1)));
    assertEquals(
        Timing.ON_TIME, PaneTiming.of(PaneInfo.createPane(false, false, Timing.ON_TIME, 1, 0)));
    assertEquals(Timing.LATE, PaneTiming.of(PaneInfo.createPane(false, true, Timing.LATE, 2, 1)));
  }

  @Test
  public void unknownTimingOfALaterPane_staysUnknown() {
    assertEquals(
        Timing.UNKNOWN, PaneTiming.of(PaneInfo.createPane(false, true, Timing.UNKNOWN, 1, -1)));
  }

  @Test
  public void onTimeOnlyFixedWindows_areGroupedByShard() {
    assertTrue(
        WindowedStats.firesOncePerWindow(strategy("fixed:1m", TriggerPolicy.onTimeOnly(), 0)));
  }

  @Test
  public void earlyFiringsLatenessOrSessions_keepOneGroupPerKey() {
    assertFalse(
        WindowedStats.firesOncePerWindow(
            strategy("fixed:1m", TriggerPolicy.onTimeOnly().withEarlyFiringsEveryCount(100), 0)));
    assertFalse(
        WindowedStats.firesOncePerWindow(strategy("fixed:1m", TriggerPolicy.onTimeOnly(), 60)));
    assertFalse(
        WindowedStats.firesOncePerWindow(strategy("session:30s", TriggerPolicy.onTimeOnly(), 0)));
  }

  private static WindowingStrategy<?, ?> strategy(
      String window, TriggerPolicy trigger, long latenessSeconds) {
    Pipeline p = Pipeline.create();
    return p.apply(Create.of("x"))
        .apply(
            EventWindows.<String>of(WindowSpec.parse(window))
                .withTrigger(trigger)
                .withAllowedLateness(Duration.standardSeconds(latenessSeconds)))
        .getWindowingStrategy();
  }
}
