package dev.streamfirst.transforms.aggregate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * Folds the values of a bundle into one partial aggregate per window and key shard, so the shuffle
 * and the combining after it see a handful of partials per bundle instead of every event. On a live
 * stream that per-event combining state is the costliest step of the rollup; in batch it spares the
 * runner's combiner lifting a sort of every event (Flink sorts them with a comparator that decodes
 * both keys of each comparison).
 *
 * <p>Partials are emitted at their window's last timestamp, which is where {@link WindowedStats}'s
 * one-pane-per-window rows are stamped anyway. Runners hold a step's output watermark until its
 * bundle ends, so a partial held here is never late downstream.
 *
 * <p>What a bundle holds is bounded: when the keys held over all windows reach {@link
 * #MAX_HELD_KEYS}, every window's partials are emitted at once, before the bundle ends. That
 * matters in batch, where a runner's bundle can be a whole input split (Flink's is) with thousands
 * of windows in it.
 */
final class CombineInBundleFn
    extends DoFn<KV<String, Double>, KV<Integer, Map<String, StatsFn.Accumulator>>> {
  /** About a megabyte or two of accumulators per instance. */
  static final int MAX_HELD_KEYS = 10_000;

  private final int shards;
  private final int maxHeldKeys;
  private transient Map<BoundedWindow, WindowPartials> partials;
  private transient int heldKeys;

  CombineInBundleFn(int shards) {
    this(shards, MAX_HELD_KEYS);
  }

  CombineInBundleFn(int shards, int maxHeldKeys) {
    if (shards < 1 || maxHeldKeys < 1) {
      throw new IllegalArgumentException(
          "shards and maxHeldKeys must be positive, got " + shards + " and " + maxHeldKeys);
    }
    this.shards = shards;
    this.maxHeldKeys = maxHeldKeys;
  }

  @StartBundle
  public void startBundle() {
    partials = new HashMap<>();
    heldKeys = 0;
  }

  @ProcessElement
  public void process(
      @Element KV<String, Double> value,
      BoundedWindow window,
      OutputReceiver<KV<Integer, Map<String, StatsFn.Accumulator>>> out) {
    WindowPartials held = partials.computeIfAbsent(window, w -> new WindowPartials());
    if (held.add(
        Math.floorMod(value.getKey().hashCode(), shards), value.getKey(), value.getValue())) {
      heldKeys++;
    }
    if (heldKeys >= maxHeldKeys) {
      partials.forEach(
          (heldWindow, windowPartials) ->
              windowPartials.byShard.forEach(
                  (shard, keys) ->
                      out.outputWindowedValue(
                          KV.of(shard, keys),
                          heldWindow.maxTimestamp(),
                          List.of(heldWindow),
                          PaneInfo.NO_FIRING)));
      partials = new HashMap<>();
      heldKeys = 0;
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
    heldKeys = 0;
  }

  /** Number of keys held over all windows: never {@link #maxHeldKeys} or more between elements. */
  int heldKeys() {
    return heldKeys;
  }

  // A partial for a window other than the element's may be stamped before the element: that is
  // no more late than emitting it when the bundle ends, which is what the stamp says.
  @SuppressWarnings("deprecation")
  @Override
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }

  /** One window's partials: per shard, per key. */
  private static final class WindowPartials {
    final Map<Integer, Map<String, StatsFn.Accumulator>> byShard = new HashMap<>();

    /** Adds a value; true if its key is new to this window. */
    boolean add(int shard, String key, double value) {
      Map<String, StatsFn.Accumulator> shardKeys =
          byShard.computeIfAbsent(shard, s -> new HashMap<>());
      StatsFn.Accumulator accumulator = shardKeys.get(key);
      boolean added = accumulator == null;
      if (added) {
        accumulator = new StatsFn.Accumulator();
        shardKeys.put(key, accumulator);
      }
      accumulator.add(value);
      return added;
    }
  }
}
