package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class StatsCoderTest {
  private static final Coder<Stats> CODER = StatsCoder.of();

  private static final List<Stats> VALUES =
      Arrays.asList(
          Stats.of(1, 21.5, 21.5, 21.5, 21.5),
          Stats.of(3, 0.6, 0.1, 0.3, 0.2),
          Stats.of(0, 0.0, Double.NaN, Double.NaN, Double.NaN),
          Stats.of(2, -0.0, -0.0, 0.0, -0.0),
          Stats.of(
              Long.MAX_VALUE, Double.POSITIVE_INFINITY, -Double.MAX_VALUE, Double.MAX_VALUE, 1.0),
          Stats.of(7, Double.MIN_VALUE, -1e-300, 1e300, Double.MIN_NORMAL));

  @Test
  public void roundTrip_preservesEveryValueBitForBit() throws Exception {
    for (Stats stats : VALUES) {
      CoderProperties.coderDecodeEncodeEqual(CODER, stats);
      Stats decoded = CoderUtils.clone(CODER, stats);
      assertEquals(
          Double.doubleToRawLongBits(stats.sum()), Double.doubleToRawLongBits(decoded.sum()));
      assertEquals(
          Double.doubleToRawLongBits(stats.mean()), Double.doubleToRawLongBits(decoded.mean()));
    }
  }

  @Test
  public void equalValues_encodeToEqualBytes() throws Exception {
    for (Stats stats : VALUES) {
      Stats copy = Stats.of(stats.count(), stats.sum(), stats.min(), stats.max(), stats.mean());
      CoderProperties.coderDeterministic(CODER, stats, copy);
    }
  }

  @Test
  public void structuralValue_isConsistentWithEquals() throws Exception {
    CoderProperties.structuralValueConsistentWithEquals(
        CODER, VALUES.get(0), Stats.of(1, 21.5, 21.5, 21.5, 21.5));
    CoderProperties.structuralValueConsistentWithEquals(CODER, VALUES.get(0), VALUES.get(1));
  }

  @Test
  public void coder_isSerializable() throws Exception {
    CoderProperties.coderSerializable(CODER);
  }
}
