package dev.streamfirst.transforms.aggregate;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Folds the values of a bundle into one partial aggregate per window and key shard, emitted when
 * the bundle ends, so the shuffle and the combining state after it see a handful of partials per
 * bundle instead of every event. On a live stream that per-event combining state is the costliest
 * step of the rollup; this is what combiner lifting does in batch, done where a streaming runner
 * does not do it.
 *
 * <p>Partials are emitted at their window's last timestamp, which is where {@link WindowedStats}'s
 * one-pane-per-window rows are stamped anyway. Runners hold a step's output watermark until its
 * bundle ends, so a partial held here is never late downstream. A window whose partials reach
 * {@link #MAX_KEYS_PER_WINDOW} keys is emitted at once, which bounds what a long bundle holds per
 * window.
 */
final class CombineInBundleFn
    extends DoFn<KV<String, Double>, KV<Integer, Map<String, StatsFn.Accumulator>>> {
  static final int MAX_KEYS_PER_WINDOW = 10_000;

  private final int shards;
  private final int maxKeysPerWindow;
  private transient Map<BoundedWindow, WindowPartials> partials;

  CombineInBundleFn(int shards) {
    this(shards, MAX_KEYS_PER_WINDOW);
  }

  CombineInBundleFn(int shards, int maxKeysPerWindow) {
    this.shards = shards;
    this.maxKeysPerWindow = maxKeysPerWindow;
  }

  @StartBundle
  public void startBundle() {
    partials = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element KV<String, Double> value,
      BoundedWindow window,
      OutputReceiver<KV<Integer, Map<String, StatsFn.Accumulator>>> out) {
    WindowPartials held = partials.computeIfAbsent(window, w -> new WindowPartials());
    held.add(Math.floorMod(value.getKey().hashCode(), shards), value.getKey(), value.getValue());
    if (held.keys >= maxKeysPerWindow) {
      partials.remove(window);
      held.byShard.forEach(
          (shard, keys) -> out.outputWithTimestamp(KV.of(shard, keys), window.maxTimestamp()));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    partials.forEach(
        (window, held) ->
            held.byShard.forEach(
                (shard, keys) ->
                    context.output(KV.of(shard, keys), window.maxTimestamp(), window)));
    partials = new HashMap<>();
  }

  /** One window's partials: per shard, per key. */
  private static final class WindowPartials {
    final Map<Integer, Map<String, StatsFn.Accumulator>> byShard = new HashMap<>();
    int keys;

    void add(int shard, String key, double value) {
      Map<String, StatsFn.Accumulator> shardKeys =
          byShard.computeIfAbsent(shard, s -> new HashMap<>());
      StatsFn.Accumulator accumulator = shardKeys.get(key);
      if (accumulator == null) {
        accumulator = new StatsFn.Accumulator();
        shardKeys.put(key, accumulator);
        keys++;
      }
      accumulator.add(value);
    }
  }
}
