package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
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
}
