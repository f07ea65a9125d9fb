package dev.streamfirst.transforms.aggregate;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * A pane's timing as result rows report it. A batch runner (FlinkRunner on bounded input) fires
 * every window exactly once, after all of its input, but leaves the timing {@code UNKNOWN}; that
 * one first-and-last firing is the window's on-time, final result, and is reported as such, so that
 * a row does not depend on the runner that produced it.
 */
final class PaneTiming {
  private PaneTiming() {}

  static PaneInfo.Timing of(PaneInfo pane) {
    if (pane.getTiming() == PaneInfo.Timing.UNKNOWN && pane.isFirst() && pane.isLast()) {
      return PaneInfo.Timing.ON_TIME;
    }
    return pane.getTiming();
  }
}
