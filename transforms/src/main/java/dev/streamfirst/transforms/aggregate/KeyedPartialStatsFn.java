package dev.streamfirst.transforms.aggregate;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * {@link KeyedStatsFn} whose inputs are already partial aggregates, one per key, as {@link
 * CombineInBundleFn} makes them. Its accumulator and the accumulator's coder are {@link
 * KeyedStatsFn}'s, so the combining state has the same shape whichever of the two fills it.
 */
final class KeyedPartialStatsFn
    extends CombineFn<
        Map<String, StatsFn.Accumulator>, Map<String, StatsFn.Accumulator>, Map<String, Stats>> {

  @Override
  public Map<String, StatsFn.Accumulator> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<String, StatsFn.Accumulator> addInput(
      Map<String, StatsFn.Accumulator> accumulator, Map<String, StatsFn.Accumulator> partial) {
    KeyedStatsFn.mergeInto(accumulator, partial);
    return accumulator;
  }

  @Override
  public Map<String, StatsFn.Accumulator> mergeAccumulators(
      Iterable<Map<String, StatsFn.Accumulator>> accumulators) {
    return KeyedStatsFn.mergeAll(accumulators);
  }

  @Override
  public Map<String, Stats> extractOutput(Map<String, StatsFn.Accumulator> accumulator) {
    return KeyedStatsFn.statsOf(accumulator);
  }

  @Override
  public Coder<Map<String, StatsFn.Accumulator>> getAccumulatorCoder(
      CoderRegistry registry, Coder<Map<String, StatsFn.Accumulator>> inputCoder) {
    return partialsCoder();
  }

  @Override
  public Coder<Map<String, Stats>> getDefaultOutputCoder(
      CoderRegistry registry, Coder<Map<String, StatsFn.Accumulator>> inputCoder) {
    return MapCoder.of(StringUtf8Coder.of(), StatsCoder.of());
  }

  /** The coder of per-key partial aggregates, as inputs and as the accumulator. */
  static Coder<Map<String, StatsFn.Accumulator>> partialsCoder() {
    return MapCoder.of(StringUtf8Coder.of(), StatsFn.AccumulatorCoder.INSTANCE);
  }
}
