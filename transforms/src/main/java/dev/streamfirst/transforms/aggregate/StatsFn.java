package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Combines values into {@link Stats}. A {@link CombineFn}, so runners pre-aggregate before the
 * shuffle (combiner lifting).
 *
 * <p>The sum is kept exactly ({@link ExactSum}) and rounded once at the end, as is the mean:
 * floating-point addition is not associative, and a runner may merge partial sums in any order.
 *
 * <pre>{@code
 * PCollection<KV<String, Stats>> stats = values.apply(Combine.perKey(new StatsFn()));
 * }</pre>
 */
public final class StatsFn extends CombineFn<Double, StatsFn.Accumulator, Stats> {

  /** A mutable running aggregate. */
  public static final class Accumulator {
    long count;
    final ExactSum sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    public Accumulator() {
      this(new ExactSum());
    }

    private Accumulator(ExactSum sum) {
      this.sum = sum;
    }

    void add(double value) {
      sum.add(value);
      count++;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }

    void merge(Accumulator other) {
      count += other.count;
      sum.add(other.sum);
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
    return Stats.of(a.count, a.sum.rounded(), a.min, a.max, a.sum.dividedBy(a.count));
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
      a.sum.encode(out);
      DoubleCoder.of().encode(a.min, out);
      DoubleCoder.of().encode(a.max, out);
    }

    @Override
    public Accumulator decode(InputStream in) throws IOException {
      long count = VarLongCoder.of().decode(in);
      Accumulator a = new Accumulator(ExactSum.decode(in));
      a.count = count;
      a.min = DoubleCoder.of().decode(in);
      a.max = DoubleCoder.of().decode(in);
      return a;
    }
  }
}
