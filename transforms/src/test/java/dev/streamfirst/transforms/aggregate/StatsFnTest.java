package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class StatsFnTest {
  private final StatsFn fn = new StatsFn();

  @Test
  public void singleValue_isCountSumMinMaxAndMean() {
    assertEquals(Stats.of(1, 21.5, 21.5, 21.5, 21.5), statsOf(21.5));
  }

  @Test
  public void sum_isTheExactSumRoundedOnce_notLeftToRightDoubleAddition() {
    // Left to right in doubles this is 0.6000000000000001; the exact sum of these three doubles
    // is 0.60000000000000000555..., whose nearest double is 0.6.
    assertEquals(0.6000000000000001, 0.1 + 0.2 + 0.3, 0.0);

    Stats stats = statsOf(0.1, 0.2, 0.3);

    assertBitIdentical(0.6, stats.sum());
    assertBitIdentical(0.2, stats.mean());
    assertEquals(3, stats.count());
    assertBitIdentical(0.1, stats.min());
    assertBitIdentical(0.3, stats.max());
  }

  @Test
  public void sum_survivesCancellationThatDoubleAdditionLoses() {
    // In doubles, 1e16 + 1 == 1e16, so naive addition gives 1.0 here.
    assertEquals(1.0, 1e16 + 1.0 + -1e16 + 1.0, 0.0);

    Stats stats = statsOf(1e16, 1.0, -1e16, 1.0);

    assertEquals(Stats.of(4, 2.0, -1e16, 1e16, 0.5), stats);
  }

  @Test
  public void mean_ofValuesWhoseDoubleSumOverflows_isStillExact() {
    Stats stats = statsOf(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE);

    assertBitIdentical(Double.MAX_VALUE / 3, stats.mean());
    assertBitIdentical(Double.MAX_VALUE, stats.sum());
  }

  @Test
  public void minAndMax_distinguishSignedZeros_inEitherOrder() {
    Stats a = statsOf(0.0, -0.0);
    Stats b = statsOf(-0.0, 0.0);

    assertEquals(a, b);
    assertBitIdentical(-0.0, a.min());
    assertBitIdentical(0.0, a.max());
  }

  @Test
  public void sumAndMean_areBitIdentical_forEveryInputOrderAndMergeTree() {
    Random random = new Random(20261125L);
    List<Double> values = awkwardValues(random, 400);
    Stats reference = statsOf(values);
    Stats exact = exactStats(values);
    assertEquals(exact, reference);

    for (int trial = 0; trial < 200; trial++) {
      List<Double> shuffled = new ArrayList<>(values);
      Collections.shuffle(shuffled, random);
      Stats combined = fn.extractOutput(randomMergeTree(shuffled, random));
      assertBitIdentical(reference.sum(), combined.sum());
      assertBitIdentical(reference.mean(), combined.mean());
      assertEquals("trial " + trial, reference, combined);
    }
  }

  @Test
  public void naiveDoubleSum_ofTheSameValues_doesDependOnOrder() {
    // Guards the test above: its values are awkward enough that plain double addition would fail
    // it.
    Random random = new Random(20261125L);
    List<Double> values = awkwardValues(random, 400);
    double forward = 0;
    for (double v : values) {
      forward += v;
    }
    List<Double> reversed = new ArrayList<>(values);
    Collections.reverse(reversed);
    double backward = 0;
    for (double v : reversed) {
      backward += v;
    }

    assertNotEquals(Double.doubleToRawLongBits(forward), Double.doubleToRawLongBits(backward));
  }

  @Test
  public void emptyAccumulator_extractsZeroCountAndNaN() {
    assertEquals(
        Stats.of(0, 0.0, Double.NaN, Double.NaN, Double.NaN),
        fn.extractOutput(fn.createAccumulator()));
  }

  @Test
  public void mergeOfNoAccumulators_isEmpty() {
    assertEquals(
        Stats.of(0, 0.0, Double.NaN, Double.NaN, Double.NaN),
        fn.extractOutput(fn.mergeAccumulators(Collections.emptyList())));
  }

  @Test
  public void mergeOfEmptyAccumulators_isEmpty() {
    StatsFn.Accumulator merged =
        fn.mergeAccumulators(Arrays.asList(fn.createAccumulator(), fn.createAccumulator()));

    assertEquals(Stats.of(0, 0.0, Double.NaN, Double.NaN, Double.NaN), fn.extractOutput(merged));
  }

  @Test
  public void emptyAccumulators_areNeutralInAMerge() {
    StatsFn.Accumulator filled = accumulatorOf(-3.0, 4.5, 10.0);

    StatsFn.Accumulator merged =
        fn.mergeAccumulators(Arrays.asList(fn.createAccumulator(), filled, fn.createAccumulator()));

    assertEquals(Stats.of(3, 11.5, -3.0, 10.0, 11.5 / 3), fn.extractOutput(merged));
  }

  @Test
  public void accumulatorCoder_roundTripsEmptyAndExtremeAccumulators() throws Exception {
    Coder<StatsFn.Accumulator> coder = accumulatorCoder();
    List<StatsFn.Accumulator> accumulators =
        Arrays.asList(
            fn.createAccumulator(),
            accumulatorOf(1.5),
            accumulatorOf(0.1, 0.2, 0.3, -0.0),
            accumulatorOf(Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300),
            fn.mergeAccumulators(Arrays.asList(accumulatorOf(1e16, 1.0), accumulatorOf(-1e16))));

    for (StatsFn.Accumulator original : accumulators) {
      StatsFn.Accumulator decoded = CoderUtils.clone(coder, original);
      assertEquals(original.count, decoded.count);
      assertEquals(original.sum.toBigDecimal(), decoded.sum.toBigDecimal());
      assertBitIdentical(original.min, decoded.min);
      assertBitIdentical(original.max, decoded.max);
      assertEquals(fn.extractOutput(original), fn.extractOutput(decoded));
      CoderProperties.structuralValueDecodeEncodeEqual(coder, original);
    }
  }

  @Test
  public void accumulatorCoder_decodedPartialsMergeToTheSameResult() throws Exception {
    Coder<StatsFn.Accumulator> coder = accumulatorCoder();
    StatsFn.Accumulator left = accumulatorOf(0.1, 1e16);
    StatsFn.Accumulator right = accumulatorOf(0.2, -1e16, 0.3);

    Stats direct = fn.extractOutput(fn.mergeAccumulators(Arrays.asList(left, right)));
    Stats viaWire =
        fn.extractOutput(
            fn.mergeAccumulators(
                Arrays.asList(CoderUtils.clone(coder, left), CoderUtils.clone(coder, right))));

    assertEquals(direct, viaWire);
    assertEquals(exactStats(Arrays.asList(0.1, 1e16, 0.2, -1e16, 0.3)), viaWire);
  }

  @Test
  public void accumulatorCoder_isSerializable() throws Exception {
    CoderProperties.coderSerializable(accumulatorCoder());
  }

  @Test
  public void outputCoder_isStatsCoder() throws Exception {
    assertEquals(
        StatsCoder.of(), fn.getDefaultOutputCoder(CoderRegistry.createDefault(), DoubleCoder.of()));
  }

  private Coder<StatsFn.Accumulator> accumulatorCoder() throws Exception {
    return fn.getAccumulatorCoder(CoderRegistry.createDefault(), DoubleCoder.of());
  }

  /** Values across many magnitudes and both signs, so double addition is visibly inexact. */
  private static List<Double> awkwardValues(Random random, int n) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double magnitude = Math.pow(10, random.nextInt(33) - 16);
      values.add((random.nextBoolean() ? 1 : -1) * random.nextDouble() * magnitude);
    }
    values.addAll(Arrays.asList(1e16, -1e16, 0.1, 0.2, 0.3, -0.0, 0.0, Double.MIN_VALUE));
    return values;
  }

  /** Splits the values into random runs, then merges them in random nested groups. */
  private StatsFn.Accumulator randomMergeTree(List<Double> values, Random random) {
    List<StatsFn.Accumulator> level = new ArrayList<>();
    int i = 0;
    while (i < values.size()) {
      int run = 1 + random.nextInt(20);
      StatsFn.Accumulator acc = fn.createAccumulator();
      for (int j = i; j < Math.min(values.size(), i + run); j++) {
        acc = fn.addInput(acc, values.get(j));
      }
      level.add(acc);
      if (random.nextInt(4) == 0) {
        level.add(fn.createAccumulator());
      }
      i += run;
    }
    while (level.size() > 1) {
      Collections.shuffle(level, random);
      List<StatsFn.Accumulator> next = new ArrayList<>();
      int k = 0;
      while (k < level.size()) {
        int group = Math.min(level.size() - k, 1 + random.nextInt(4));
        next.add(fn.mergeAccumulators(new ArrayList<>(level.subList(k, k + group))));
        k += group;
      }
      level = next;
    }
    return level.get(0);
  }

  /**
   * The expected result, worked out independently: exact decimal sums, and a mean carried to far
   * more digits than any double needs before it is rounded once.
   */
  private static Stats exactStats(List<Double> values) {
    BigDecimal sum = BigDecimal.ZERO;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      sum = sum.add(new BigDecimal(v));
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean =
        sum.divide(BigDecimal.valueOf(values.size()), new MathContext(1200, RoundingMode.HALF_EVEN))
            .doubleValue();
    return Stats.of(values.size(), sum.doubleValue(), min, max, mean);
  }

  private StatsFn.Accumulator accumulatorOf(double... values) {
    StatsFn.Accumulator acc = fn.createAccumulator();
    for (double v : values) {
      acc = fn.addInput(acc, v);
    }
    return acc;
  }

  private Stats statsOf(double... values) {
    return fn.extractOutput(accumulatorOf(values));
  }

  private Stats statsOf(List<Double> values) {
    StatsFn.Accumulator acc = fn.createAccumulator();
    for (double v : values) {
      acc = fn.addInput(acc, v);
    }
    return fn.extractOutput(acc);
  }

  private static void assertBitIdentical(double expected, double actual) {
    assertEquals(
        "expected " + expected + " but was " + actual,
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual));
  }
}
