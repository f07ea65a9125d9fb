package dev.streamfirst.transforms.aggregate;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * {@link StatsFn} for many keys at once, over partial aggregates as {@link CombineInBundleFn} makes
 * them: the accumulator holds one {@link StatsFn.Accumulator} per key. It lets {@link
 * WindowedStats} group by a shard of the keys instead of by every key, while each key's result is
 * exactly what {@link StatsFn} alone gives.
 */
final class KeyedPartialStatsFn
    extends CombineFn<
        Map<String, StatsFn.Accumulator>, Map<String, StatsFn.Accumulator>, Map<String, Stats>> {
  private static final StatsFn STATS = new StatsFn();

  @Override
  public Map<String, StatsFn.Accumulator> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<String, StatsFn.Accumulator> addInput(
      Map<String, StatsFn.Accumulator> accumulator, Map<String, StatsFn.Accumulator> partial) {
    mergeInto(accumulator, partial);
    return accumulator;
  }

  /** Merges per-key accumulators into the first (Beam lets it be modified and returned). */
  @Override
  public Map<String, StatsFn.Accumulator> mergeAccumulators(
      Iterable<Map<String, StatsFn.Accumulator>> accumulators) {
    Iterator<Map<String, StatsFn.Accumulator>> it = accumulators.iterator();
    Map<String, StatsFn.Accumulator> merged = it.hasNext() ? it.next() : new HashMap<>();
    while (it.hasNext()) {
      mergeInto(merged, it.next());
    }
    return merged;
  }

  /**
   * Adds every key's aggregate of {@code from} into {@code into}, leaving {@code from} as it was.
   */
  private static void mergeInto(
      Map<String, StatsFn.Accumulator> into, Map<String, StatsFn.Accumulator> from) {
    for (Map.Entry<String, StatsFn.Accumulator> e : from.entrySet()) {
      // A copy where the key is new: adopting the other's accumulator would let a later merge into
      // it change an accumulator Beam did not allow to be modified.
      into.computeIfAbsent(e.getKey(), k -> new StatsFn.Accumulator()).merge(e.getValue());
    }
  }

  @Override
  public Map<String, Stats> extractOutput(Map<String, StatsFn.Accumulator> accumulator) {
    Map<String, Stats> out = new HashMap<>(accumulator.size() * 2);
    accumulator.forEach((key, a) -> out.put(key, STATS.extractOutput(a)));
    return out;
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
