package dev.streamfirst.transforms.aggregate;

import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.ApproximateQuantiles.ApproximateQuantilesCombineFn;
import org.apache.beam.sdk.transforms.ApproximateUnique.ApproximateUniqueCombineFn;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.CombineFns;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Combines elements into a {@link Summary}: count, sum, min, max and mean of a value, its
 * percentiles p50, p95 and p99, and the number of distinct items. A {@link CombineFn} built from
 * Beam's own combiners, so runners pre-aggregate before the shuffle (combiner lifting).
 *
 * <ul>
 *   <li>Count, sum, min, max, mean: exact, and identical on every runner ({@link StatsFn}).
 *   <li>Percentiles: Beam's {@code ApproximateQuantiles} with a rank error of at most {@value
 *       #PERCENTILE_RANK_ERROR}. While a group has at most {@value #EXACT_PERCENTILES_UP_TO} values
 *       they are exact nearest-rank percentiles (the value at rank ⌈p·n⌉ of n sorted values), the
 *       same on every runner. Beyond that they are approximate, and may differ slightly with the
 *       order in which a runner adds and merges partial results.
 *   <li>Distinct: Beam's {@code ApproximateUnique} over 64-bit hashes, keeping the {@value
 *       #DISTINCT_SAMPLE_SIZE} smallest. Exact for fewer distinct items than that; beyond, an
 *       estimate within about 3% (2/√{@value #DISTINCT_SAMPLE_SIZE}). It is a function of the set
 *       of items alone, so it never depends on merge order: identical on every runner.
 * </ul>
 *
 * <p>{@code ApproximateUnique} is deprecated in favour of the HLL++ sketches of Beam's zetasketch
 * extension; those come as whole transforms, not as a {@code CombineFn} that can be composed with
 * the others here, and their result is not independent of merge order.
 *
 * <pre>{@code
 * PCollection<KV<String, Summary>> perKey = readings.apply(
 *     Combine.perKey(SummaryFn.of(Reading::value, Reading::deviceId)));
 * }</pre>
 */
public final class SummaryFn<T> extends CombineFn<T, Object[], Summary> {
  public static final double PERCENTILE_RANK_ERROR = 0.005;
  public static final int EXACT_PERCENTILES_UP_TO = 1908;
  public static final int DISTINCT_SAMPLE_SIZE = 4096;

  private static final TupleTag<Stats> STATS = new TupleTag<>("stats");
  private static final TupleTag<List<Double>> PERCENTILES = new TupleTag<>("percentiles");
  private static final TupleTag<Long> DISTINCT = new TupleTag<>("distinct");

  private final CombineFns.ComposedCombineFn<T> composed;

  private SummaryFn(CombineFns.ComposedCombineFn<T> composed) {
    this.composed = composed;
  }

  /**
   * Summarises {@code valueFn} of each element, counting distinct {@code distinctFn}s.
   *
   * @throws IllegalArgumentException if either function is null
   */
  @SuppressWarnings("deprecation") // ApproximateUnique: see the class comment for why.
  public static <T> SummaryFn<T> of(
      SerializableFunction<T, Double> valueFn, SerializableFunction<T, String> distinctFn) {
    if (valueFn == null || distinctFn == null) {
      throw new IllegalArgumentException(
          "SummaryFn.of() needs a value function and a distinct-item function, e.g."
              + " SummaryFn.of(Event::value, Event::id)");
    }
    SimpleFunction<T, Double> value =
        SimpleFunction.fromSerializableFunctionWithOutputType(valueFn, TypeDescriptors.doubles());
    SimpleFunction<T, String> item =
        SimpleFunction.fromSerializableFunctionWithOutputType(
            distinctFn, TypeDescriptors.strings());
    // 101 quantiles are the minimum, the 99 percentiles and the maximum.
    ApproximateQuantilesCombineFn<Double, ?> percentiles =
        ApproximateQuantilesCombineFn.<Double>create(101).withEpsilon(PERCENTILE_RANK_ERROR);
    return new SummaryFn<>(
        CombineFns.compose()
            .with(value, DoubleCoder.of(), new StatsFn(), STATS)
            .with(value, DoubleCoder.of(), percentiles, PERCENTILES)
            .with(
                item,
                StringUtf8Coder.of(),
                new ApproximateUniqueCombineFn<>(DISTINCT_SAMPLE_SIZE, StringUtf8Coder.of()),
                DISTINCT));
  }

  @Override
  public Object[] createAccumulator() {
    return composed.createAccumulator();
  }

  @Override
  public Object[] addInput(Object[] accumulator, T input) {
    return composed.addInput(accumulator, input);
  }

  @Override
  public Object[] mergeAccumulators(Iterable<Object[]> accumulators) {
    return composed.mergeAccumulators(accumulators);
  }

  @Override
  public Object[] compact(Object[] accumulator) {
    return composed.compact(accumulator);
  }

  @Override
  public Summary extractOutput(Object[] accumulator) {
    CombineFns.CoCombineResult result = composed.extractOutput(accumulator);
    Stats stats = result.get(STATS);
    if (stats.count() == 0) {
      return Summary.of(stats, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    List<Double> quantiles = result.get(PERCENTILES);
    return Summary.of(
        stats, quantiles.get(50), quantiles.get(95), quantiles.get(99), result.get(DISTINCT));
  }

  @Override
  public Coder<Object[]> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder)
      throws CannotProvideCoderException {
    return composed.getAccumulatorCoder(registry, inputCoder);
  }

  @Override
  public Coder<Summary> getDefaultOutputCoder(CoderRegistry registry, Coder<T> inputCoder) {
    return SummaryCoder.of();
  }
}
