package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ExactSumTest {
  private static final MathContext FAR_BEYOND_DOUBLE =
      new MathContext(1200, RoundingMode.HALF_EVEN);

  @Test
  public void matchesBigDecimal_onValuesOfEveryMagnitude_includingSubnormals() {
    Random random = new Random(20261127L);
    for (int trial = 0; trial < 300; trial++) {
      List<Double> values = new ArrayList<>();
      int n = 1 + random.nextInt(60);
      for (int i = 0; i < n; i++) {
        values.add(randomDouble(random));
      }
      assertSameAsBigDecimal("trial " + trial + " " + values, values);
    }
  }

  @Test
  public void matchesBigDecimal_whereTheSumPassesTheDoubleRangeOnTheWay() {
    assertSameAsBigDecimal(
        "overflow then back",
        Arrays.asList(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1, -1e300));
    assertSameAsBigDecimal(
        "stays out of range", Arrays.asList(Double.MAX_VALUE, Double.MAX_VALUE, 1.0));
    assertSameAsBigDecimal(
        "negative overflow", Arrays.asList(-Double.MAX_VALUE, -Double.MAX_VALUE, 3.5));
  }

  /**
   * Several partials are held when an addition leaves the double range: the exact fallback must
   * take the partials as they were, not as the interrupted addition had already rewritten them.
   */
  @Test
  public void overflowWhileSeveralPartialsAreHeld_everyOrder_matchesBigDecimal() {
    double big = 1.5 * Math.scalb(1.0, 1023);
    double bigger = big + Math.scalb(1.0, 971);
    List<Double> values =
        Arrays.asList(big, Math.scalb(1.0, 970), bigger, -big, -bigger); // exact sum: 2^970
    List<List<Double>> orders = new ArrayList<>();
    permutations(values, new ArrayList<>(), orders);
    assertEquals(120, orders.size());
    for (List<Double> order : orders) {
      assertSameAsBigDecimal("order " + order, order);
      ExactSum merged = new ExactSum();
      for (double v : order) {
        merged.add(sumOf(v));
      }
      assertBitIdentical("merged " + order, Math.scalb(1.0, 970), merged.rounded());
    }
  }

  @Test
  public void mergingASumOfSeveralPartials_intoOneThatOverflows_matchesBigDecimal() {
    double big = 1.5 * Math.scalb(1.0, 1023);
    ExactSum into = sumOf(big, 1.0, Math.scalb(1.0, -60));
    ExactSum other = sumOf(big, 3.0, Math.scalb(1.0, -70));
    into.add(other);

    BigDecimal exact =
        new BigDecimal(big)
            .multiply(BigDecimal.valueOf(2))
            .add(BigDecimal.valueOf(4))
            .add(new BigDecimal(Math.scalb(1.0, -60)))
            .add(new BigDecimal(Math.scalb(1.0, -70)));
    assertEquals(0, exact.compareTo(into.toBigDecimal()));
    into.add(-big);
    into.add(-big);
    assertBitIdentical(4.0 + Math.scalb(1.0, -60), into.rounded());
  }

  private static void permutations(List<Double> rest, List<Double> prefix, List<List<Double>> out) {
    if (rest.isEmpty()) {
      out.add(new ArrayList<>(prefix));
      return;
    }
    for (int i = 0; i < rest.size(); i++) {
      List<Double> remaining = new ArrayList<>(rest);
      prefix.add(remaining.remove(i));
      permutations(remaining, prefix, out);
      prefix.remove(prefix.size() - 1);
    }
  }

  @Test
  public void sumOutOfRange_roundsToInfinity_likeBigDecimal() {
    ExactSum sum = sumOf(Double.MAX_VALUE, Double.MAX_VALUE);

    assertEquals(Double.POSITIVE_INFINITY, sum.rounded(), 0.0);
    assertEquals(Double.MAX_VALUE, sum.dividedBy(2), 0.0);
  }

  @Test
  public void meanOfSubnormals_isRoundedOnce_tiesToEven() {
    // MIN_VALUE * 3 / 2 is exactly 1.5 units: the tie goes to the even neighbour, 2 units.
    ExactSum sum = sumOf(Double.MIN_VALUE, Double.MIN_VALUE, Double.MIN_VALUE);
    assertEquals(2 * Double.MIN_VALUE, sum.dividedBy(2), 0.0);
    // 0.5 units: a tie between 0 and 1 unit goes to 0.
    assertEquals(0.0, sumOf(Double.MIN_VALUE).dividedBy(2), 0.0);
    assertEquals(0.0, sumOf(-Double.MIN_VALUE, -Double.MIN_VALUE, 0.1, -0.1).dividedBy(4), 0.0);
  }

  @Test
  public void tiesBetweenTwoDoubles_goToTheEvenOne() {
    double twoTo53 = Math.scalb(1.0, 53);
    // 2^53 + 1 lies halfway between 2^53 and 2^53 + 2; 2^53 + 3 between 2^53 + 2 and 2^53 + 4.
    assertBitIdentical(twoTo53, sumOf(twoTo53, 1.0).rounded());
    assertBitIdentical(twoTo53 + 4, sumOf(twoTo53, 3.0).rounded());
    assertBitIdentical(twoTo53 + 4, sumOf(2 * twoTo53, 6.0).dividedBy(2));
    // Just above a tie is no tie: 2^53 + 1 + 2^-10 rounds up, however little it is above.
    assertBitIdentical(twoTo53 + 2, sumOf(twoTo53, 1.0, 0x1p-10).rounded());
    assertBitIdentical(twoTo53 + 2, sumOf(2 * twoTo53, 2.0, 0x1p-10).dividedBy(2));
  }

  @Test
  public void zero_isPositive_whateverTheSignsThatMadeIt() {
    assertBitIdentical(0.0, sumOf(-0.0, -0.0).rounded());
    assertBitIdentical(0.0, sumOf(-0.0).dividedBy(3));
    assertBitIdentical(0.0, sumOf(0.1, -0.1).rounded());
    assertBitIdentical(0.0, new ExactSum().rounded());
  }

  @Test
  public void mergesInAnyOrder_giveTheSameBits() {
    Random random = new Random(7L);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      values.add(randomDouble(random));
    }
    ExactSum whole = new ExactSum();
    values.forEach(whole::add);
    for (int trial = 0; trial < 50; trial++) {
      List<Double> shuffled = new ArrayList<>(values);
      Collections.shuffle(shuffled, random);
      ExactSum merged = new ExactSum();
      int i = 0;
      while (i < shuffled.size()) {
        ExactSum part = new ExactSum();
        int end = Math.min(shuffled.size(), i + 1 + random.nextInt(40));
        for (; i < end; i++) {
          part.add(shuffled.get(i));
        }
        merged.add(roundTrip(part));
      }
      assertBitIdentical(whole.rounded(), merged.rounded());
      assertBitIdentical(whole.dividedBy(500), merged.dividedBy(500));
      assertEquals(whole.toBigDecimal(), merged.toBigDecimal());
    }
  }

  @Test
  public void addingItself_doublesTheSum() {
    ExactSum sum = sumOf(0.1, 1e16);
    sum.add(sum);

    assertEquals(sumOf(0.1, 1e16, 0.1, 1e16).toBigDecimal(), sum.toBigDecimal());
  }

  @Test
  public void valuesThatAreNotFinite_areRefused() {
    ExactSum sum = new ExactSum();

    assertThrows(IllegalArgumentException.class, () -> sum.add(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> sum.add(Double.NEGATIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> sum.dividedBy(0));
  }

  private static void assertSameAsBigDecimal(String message, List<Double> values) {
    BigDecimal exact = BigDecimal.ZERO;
    ExactSum sum = new ExactSum();
    for (double v : values) {
      exact = exact.add(new BigDecimal(v));
      sum.add(v);
    }
    assertEquals(message, 0, exact.compareTo(sum.toBigDecimal()));
    assertBitIdentical(message, exact.doubleValue() + 0.0, sum.rounded());
    double mean =
        exact.divide(BigDecimal.valueOf(values.size()), FAR_BEYOND_DOUBLE).doubleValue() + 0.0;
    assertBitIdentical(message, mean, sum.dividedBy(values.size()));
    ExactSum decoded = roundTrip(sum);
    assertBitIdentical(message, sum.rounded(), decoded.rounded());
    assertEquals(message, 0, exact.compareTo(decoded.toBigDecimal()));
  }

  /** Doubles of every kind: tiny, subnormal, huge, both signs, exact ties and plain decimals. */
  private static double randomDouble(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return Double.longBitsToDouble(random.nextLong() & 0x000fffffffffffffL)
            * (random.nextBoolean() ? 1 : -1);
      case 1:
        return (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(2, 1000);
      case 2:
        return Math.round(random.nextDouble() * 10000) / 100.0;
      case 3:
        return (random.nextBoolean() ? 1 : -1) * Math.scalb(1.0, random.nextInt(200) - 100);
      default:
        return (random.nextBoolean() ? 1 : -1)
            * random.nextDouble()
            * Math.pow(10, random.nextInt(40) - 20);
    }
  }

  private static ExactSum sumOf(double... values) {
    ExactSum sum = new ExactSum();
    for (double v : values) {
      sum.add(v);
    }
    return sum;
  }

  private static ExactSum roundTrip(ExactSum sum) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      sum.encode(out);
      return ExactSum.decode(new ByteArrayInputStream(out.toByteArray()));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertBitIdentical(double expected, double actual) {
    assertBitIdentical("", expected, actual);
  }

  private static void assertBitIdentical(String message, double expected, double actual) {
    assertEquals(
        message + ": expected " + expected + " but was " + actual,
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual));
  }

  @Test
  public void overflowOnTheWay_withSeveralPartials_everyOrderGivesTheExactSum() {
    double big = 1.5 * Math.scalb(1.0, 1023);
    double bigPlus = big + Math.scalb(1.0, 971);
    double[] values = {big, Math.scalb(1.0, 970), bigPlus, -big, -bigPlus};
    BigDecimal sumOfValues = BigDecimal.ZERO;
    for (double v : values) {
      sumOfValues = sumOfValues.add(new BigDecimal(v));
    }
    BigDecimal exact = sumOfValues;
    java.util.List<String> wrong = new java.util.ArrayList<>();
    permute(
        values,
        0,
        order -> {
          ExactSum sum = new ExactSum();
          for (double v : order) {
            sum.add(v);
          }
          if (sum.toBigDecimal().compareTo(exact) != 0 || sum.rounded() != Math.scalb(1.0, 970)) {
            wrong.add(java.util.Arrays.toString(order) + " -> " + sum.rounded());
          }
          // Merged from two halves, as runners combine partial sums.
          for (int cut = 1; cut < order.length; cut++) {
            ExactSum left = new ExactSum();
            ExactSum right = new ExactSum();
            for (int k = 0; k < order.length; k++) {
              (k < cut ? left : right).add(order[k]);
            }
            left.add(right);
            if (left.toBigDecimal().compareTo(exact) != 0) {
              wrong.add(java.util.Arrays.toString(order) + " cut " + cut + " -> " + left.rounded());
            }
          }
        });
    assertEquals("orders with a wrong sum: " + wrong, 0, wrong.size());
  }

  private static void permute(
      double[] values, int from, java.util.function.Consumer<double[]> each) {
    if (from == values.length) {
      each.accept(values.clone());
      return;
    }
    for (int i = from; i < values.length; i++) {
      double t = values[from];
      values[from] = values[i];
      values[i] = t;
      permute(values, from + 1, each);
      values[i] = values[from];
      values[from] = t;
    }
  }
}
