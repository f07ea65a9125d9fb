package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.transforms.alert.Alert;
import dev.streamfirst.transforms.alert.AlertCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.Test;

/** The coders of the rows and alerts the transforms emit: exact round trips, stable bytes. */
public class RowCodersTest {
  private static final Instant START = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final Instant END = Instant.parse("2026-11-25T10:01:00.000Z");
  private static final Summary SUMMARY =
      Summary.of(Stats.of(3, 0.6, 0.1, 0.3, 0.2), 0.2, 0.3, 0.3, 3);

  @Test
  public void summaryRow_roundTripsWithEveryField() throws Exception {
    for (PaneInfo.Timing timing : PaneInfo.Timing.values()) {
      SummaryRow row = SummaryRow.of("sensor-7", START, END, SUMMARY, timing, 4, true);
      assertRoundTrip(SummaryRowCoder.of(), row);
    }
    assertRoundTrip(SummaryCoder.of(), Summary.of(Stats.of(1, -0.0, -0.0, -0.0, -0.0), 0, 0, 0, 1));
  }

  @Test
  public void sessionRow_roundTripsWithEveryField() throws Exception {
    SessionRow row =
        SessionRow.of(
            "user-1", START, END, 12, START.plus(1), END.minus(1), PaneInfo.Timing.EARLY, 0, false);
    assertRoundTrip(SessionRowCoder.of(), row);
  }

  @Test
  public void alert_roundTripsWithEveryStatus() throws Exception {
    for (Alert.Status status : Alert.Status.values()) {
      assertRoundTrip(
          AlertCoder.of(), Alert.of("k", "mean > 80 for 3 windows", status, END, "mean 91.5"));
    }
  }

  @Test
  public void unknownEnumOrdinal_isACoderException_notAnotherValue() throws Exception {
    byte[] bytes =
        CoderUtils.encodeToByteArray(AlertCoder.of(), Alert.opened("k", "rule", END, "detail"));
    // key "k" (2 bytes), rule "rule" (5 bytes), then the status ordinal.
    bytes[7] = 9;
    assertThrows(
        CoderException.class, () -> CoderUtils.decodeFromByteArray(AlertCoder.of(), bytes));
  }

  private static <T> void assertRoundTrip(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    CoderProperties.coderDeterministic(coder, value, CoderUtils.clone(coder, value));
    assertEquals(value, CoderUtils.clone(coder, value));
  }
}
