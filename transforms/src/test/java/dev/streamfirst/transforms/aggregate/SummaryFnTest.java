package dev.streamfirst.transforms.aggregate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.Test;

/** Elements are (item, value) pairs: percentiles of the value, distinct count of the item. */
public class SummaryFnTest {
  private static final SummaryFn<KV<String, Double>> FN = SummaryFn.of(KV::getValue, KV::getKey);

  @Test
  public void percentiles_areExactNearestRank_whileTheGroupIsSmall() {
    List<KV<String, Double>> input = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      input.add(KV.of("item-" + (i % 10), (double) i));
    }
    Collections.shuffle(input, new Random(7));

    Summary s = combine(List.of(input));

    // Nearest rank: the value at rank ceil(p * n) of the sorted values.
    assertEquals(500.0, s.p50(), 0);
    assertEquals(950.0, s.p95(), 0);
    assertEquals(990.0, s.p99(), 0);
    assertEquals(Stats.of(1000, 500500, 1, 1000, 500.5), s.stats());
    assertEquals(10, s.distinct());
  }

  @Test
  public void smallGroup_givesTheSameSummaryHoweverItIsSplitAndMerged() {
    List<KV<String, Double>> input = randomInput(1500, 400, 11);

    Summary whole = combine(List.of(input));
    for (int seed = 0; seed < 5; seed++) {
      assertEquals(whole, combine(split(input, 2 + seed, seed)));
    }
  }

  @Test
  public void largeGroup_percentilesStayWithinTheirRankError() {
    List<KV<String, Double>> input = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      input.add(KV.of("i" + i, (double) i));
    }
    Collections.shuffle(input, new Random(3));

    Summary s = combine(split(input, 8, 3));

    double slack = SummaryFn.PERCENTILE_RANK_ERROR * 20_000;
    assertThat(
        s.p50(), allOf(greaterThanOrEqualTo(9_999 - slack), lessThanOrEqualTo(9_999 + slack)));
    assertThat(
        s.p95(), allOf(greaterThanOrEqualTo(18_999 - slack), lessThanOrEqualTo(18_999 + slack)));
    assertThat(
        s.p99(), allOf(greaterThanOrEqualTo(19_799 - slack), lessThanOrEqualTo(19_799 + slack)));
  }

  @Test
  public void distinct_isExactBelowTheSampleSize() {
    List<KV<String, Double>> input = randomInput(10_000, SummaryFn.DISTINCT_SAMPLE_SIZE - 1, 5);

    assertEquals(SummaryFn.DISTINCT_SAMPLE_SIZE - 1, combine(split(input, 4, 5)).distinct());
  }

  @Test
  public void distinct_beyondTheSampleSize_isCloseAndIndependentOfMergeOrder() {
    List<KV<String, Double>> input = randomInput(60_000, 40_000, 9);
    long truth = input.stream().map(KV::getKey).distinct().count();

    long estimate = combine(split(input, 3, 1)).distinct();

    assertTrue("estimate " + estimate + " vs " + truth, Math.abs(estimate - truth) <= 0.1 * truth);
    assertEquals(estimate, combine(split(input, 7, 2)).distinct());
  }

  @Test
  public void accumulators_surviveTheirCoder() throws Exception {
    Coder<Object[]> coder =
        FN.getAccumulatorCoder(
            CoderRegistry.createDefault(), KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()));
    Object[] accumulator = FN.createAccumulator();
    for (KV<String, Double> e : randomInput(3000, 100, 2)) {
      accumulator = FN.addInput(accumulator, e);
    }

    Object[] decoded =
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, accumulator));

    assertEquals(FN.extractOutput(accumulator), FN.extractOutput(decoded));
  }

  @Test
  public void empty_hasNoPercentiles() {
    Summary s = FN.extractOutput(FN.createAccumulator());

    assertEquals(0, s.stats().count());
    assertTrue(Double.isNaN(s.p50()));
    assertEquals(0, s.distinct());
  }

  @Test
  public void nullFunctions_areRefusedWithAnExample() {
    assertEquals(
        "SummaryFn.of() needs a value function and a distinct-item function, e.g."
            + " SummaryFn.of(Event::value, Event::id)",
        assertThrows(IllegalArgumentException.class, () -> SummaryFn.<String>of(null, s -> s))
            .getMessage());
  }

  private static List<KV<String, Double>> randomInput(int size, int items, long seed) {
    Random random = new Random(seed);
    List<KV<String, Double>> input = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      // Every item at least once, then at random.
      int item = i < items ? i : random.nextInt(items);
      input.add(KV.of("item-" + item, Math.round(random.nextGaussian() * 1000) / 100.0));
    }
    Collections.shuffle(input, random);
    return input;
  }

  private static List<List<KV<String, Double>>> split(
      List<KV<String, Double>> input, int parts, long seed) {
    Random random = new Random(seed);
    List<List<KV<String, Double>>> split = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      split.add(new ArrayList<>());
    }
    for (KV<String, Double> e : input) {
      split.get(random.nextInt(parts)).add(e);
    }
    Collections.shuffle(split, random);
    return split;
  }

  /** Adds each part to its own accumulator, then merges them: what a runner does. */
  private static Summary combine(List<List<KV<String, Double>>> parts) {
    List<Object[]> accumulators = new ArrayList<>();
    for (List<KV<String, Double>> part : parts) {
      Object[] accumulator = FN.createAccumulator();
      for (KV<String, Double> e : part) {
        accumulator = FN.addInput(accumulator, e);
      }
      accumulators.add(accumulator);
    }
    return FN.extractOutput(FN.mergeAccumulators(accumulators));
  }
}
