package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Combines values into {@link Stats}. A {@link CombineFn}, so runners pre-aggregate before the
 * shuffle (combiner lifting).
 *
 * <p>The sum is kept exactly ({@link BigDecimal} holds any sum of doubles without rounding) and
 * rounded once at the end: floating-point addition is not associative, and a runner may merge
 * partial sums in any order.
 *
 * <pre>{@code
 * PCollection<KV<String, Stats>> stats = values.apply(Combine.perKey(new StatsFn()));
 * }</pre>
 */
public final class StatsFn extends CombineFn<Double, StatsFn.Accumulator, Stats> {

  /** A mutable running aggregate. */
  public static final class Accumulator {
    long count;
    BigDecimal sum = BigDecimal.ZERO;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(double value) {
      count++;
      sum = sum.add(new BigDecimal(value));
      min = Math.min(min, value);
      max = Math.max(max, value);
    }

    void merge(Accumulator other) {
      count += other.count;
      sum = sum.add(other.sum);
      min = Math.min(min, other.min);
      max = Math.max(max, other.max);
    }
  }

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator();
  }

  @Override
  public Accumulator addInput(Accumulator accumulator, Double value) {
    accumulator.add(value);
    return accumulator;
  }

  @Override
  public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators) {
    Accumulator merged = new Accumulator();
    for (Accumulator a : accumulators) {
      merged.merge(a);
    }
    return merged;
  }

  @Override
  public Stats extractOutput(Accumulator a) {
    if (a.count == 0) {
      return Stats.of(0, 0, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = a.sum.divide(BigDecimal.valueOf(a.count), MathContext.DECIMAL128).doubleValue();
    return Stats.of(a.count, a.sum.doubleValue(), a.min, a.max, mean);
  }

  @Override
  public Coder<Accumulator> getAccumulatorCoder(CoderRegistry registry, Coder<Double> inputCoder) {
    return AccumulatorCoder.INSTANCE;
  }

  @Override
  public Coder<Stats> getDefaultOutputCoder(CoderRegistry registry, Coder<Double> inputCoder) {
    return StatsCoder.of();
  }

  static final class AccumulatorCoder extends AtomicCoder<Accumulator> {
    static final AccumulatorCoder INSTANCE = new AccumulatorCoder();

    @Override
    public void encode(Accumulator a, OutputStream out) throws IOException {
      VarLongCoder.of().encode(a.count, out);
      BigDecimalCoder.of().encode(a.sum, out);
      DoubleCoder.of().encode(a.min, out);
      DoubleCoder.of().encode(a.max, out);
    }

    @Override
    public Accumulator decode(InputStream in) throws IOException {
      Accumulator a = new Accumulator();
      a.count = VarLongCoder.of().decode(in);
      a.sum = BigDecimalCoder.of().decode(in);
      a.min = DoubleCoder.of().decode(in);
      a.max = DoubleCoder.of().decode(in);
      return a;
    }
  }
}
