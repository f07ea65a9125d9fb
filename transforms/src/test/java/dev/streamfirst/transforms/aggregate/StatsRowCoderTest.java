package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.Test;

public class StatsRowCoderTest {
  private static final StatsRow ROW =
      StatsRow.of(
          "sensor-7",
          Instant.parse("2026-11-25T10:00:00.000Z"),
          Instant.parse("2026-11-25T10:01:00.000Z"),
          Stats.of(3, 0.6, 0.1, 0.3, 0.2),
          PaneInfo.Timing.LATE,
          2,
          true);

  @Test
  public void roundTrip_givesAnEqualRow() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(StatsRowCoder.of(), ROW);
    assertEquals(ROW, CoderUtils.clone(StatsRowCoder.of(), ROW));
  }

  @Test
  public void equalRows_encodeToEqualBytes() throws Exception {
    StatsRow copy =
        StatsRow.of(
            ROW.key(),
            ROW.windowStart(),
            ROW.windowEnd(),
            ROW.stats(),
            ROW.paneTiming(),
            ROW.paneIndex(),
            ROW.isFinal());
    CoderProperties.coderDeterministic(StatsRowCoder.of(), ROW, copy);
  }
}
