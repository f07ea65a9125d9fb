package dev.streamfirst.transforms.aggregate;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.KV;

/**
 * {@link StatsFn} for many keys at once: the accumulator holds one {@link StatsFn.Accumulator} per
 * key. It lets {@link WindowedStats} group by a shard of the keys instead of by every key, while
 * each key's result is exactly what {@link StatsFn} alone gives.
 */
final class KeyedStatsFn
    extends CombineFn<KV<String, Double>, Map<String, StatsFn.Accumulator>, Map<String, Stats>> {
  private static final StatsFn STATS = new StatsFn();

  @Override
  public Map<String, StatsFn.Accumulator> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<String, StatsFn.Accumulator> addInput(
      Map<String, StatsFn.Accumulator> accumulator, KV<String, Double> input) {
    accumulator
        .computeIfAbsent(input.getKey(), k -> new StatsFn.Accumulator())
        .add(input.getValue());
    return accumulator;
  }

  @Override
  public Map<String, StatsFn.Accumulator> mergeAccumulators(
      Iterable<Map<String, StatsFn.Accumulator>> accumulators) {
    return mergeAll(accumulators);
  }

  /** Merges per-key accumulators into the first (Beam lets it be modified and returned). */
  static Map<String, StatsFn.Accumulator> mergeAll(
      Iterable<Map<String, StatsFn.Accumulator>> accumulators) {
    Iterator<Map<String, StatsFn.Accumulator>> it = accumulators.iterator();
    Map<String, StatsFn.Accumulator> merged = it.hasNext() ? it.next() : new HashMap<>();
    while (it.hasNext()) {
      mergeInto(merged, it.next());
    }
    return merged;
  }

  @Override
  public Map<String, Stats> extractOutput(Map<String, StatsFn.Accumulator> accumulator) {
    return statsOf(accumulator);
  }

  /**
   * Adds every key's aggregate of {@code from} into {@code into}, leaving {@code from} as it was.
   */
  static void mergeInto(
      Map<String, StatsFn.Accumulator> into, Map<String, StatsFn.Accumulator> from) {
    for (Map.Entry<String, StatsFn.Accumulator> e : from.entrySet()) {
      // A copy where the key is new: adopting the other's accumulator would let a later merge into
      // it change an accumulator Beam did not allow to be modified.
      into.computeIfAbsent(e.getKey(), k -> new StatsFn.Accumulator()).merge(e.getValue());
    }
  }

  static Map<String, Stats> statsOf(Map<String, StatsFn.Accumulator> accumulator) {
    Map<String, Stats> out = new HashMap<>(accumulator.size() * 2);
    accumulator.forEach((key, a) -> out.put(key, STATS.extractOutput(a)));
    return out;
  }

  @Override
  public Coder<Map<String, StatsFn.Accumulator>> getAccumulatorCoder(
      CoderRegistry registry, Coder<KV<String, Double>> inputCoder) {
    return MapCoder.of(keyCoder(inputCoder), StatsFn.AccumulatorCoder.INSTANCE);
  }

  @Override
  public Coder<Map<String, Stats>> getDefaultOutputCoder(
      CoderRegistry registry, Coder<KV<String, Double>> inputCoder) {
    return MapCoder.of(keyCoder(inputCoder), StatsCoder.of());
  }

  private static Coder<String> keyCoder(Coder<KV<String, Double>> inputCoder) {
    return inputCoder instanceof KvCoder
        ? ((KvCoder<String, Double>) inputCoder).getKeyCoder()
        : StringUtf8Coder.of();
  }
}
