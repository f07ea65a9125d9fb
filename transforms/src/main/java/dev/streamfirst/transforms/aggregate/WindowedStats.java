package dev.streamfirst.transforms.aggregate;

import dev.streamfirst.transforms.metrics.RowsWritten;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Never;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Per key and window: count, sum, min, max and mean, as {@link StatsRow}s that say which window and
 * pane they belong to. Input must already be windowed (see {@code EventWindows}). Rows of the
 * global window span from Beam's earliest to its latest timestamp.
 *
 * <p>When every window fires exactly once — non-merging windows, fired when the watermark passes
 * their end, no early firings, no allowed lateness — keys are grouped {@value #KEY_SHARDS} shards
 * at a time ({@code CombinePerShard}) rather than one by one ({@code CombinePerKey}): the rows are
 * the same, window, pane and all, but runners pay per group and per firing (a DirectRunner bundle
 * per key, a timer per key and window), and with many keys that dominated the whole pipeline. Any
 * other windowing keeps one group per key, because there a pane of one key must not fire because
 * another key's data arrived. Each bundle's values are first folded into one partial per window and
 * shard ({@code CombineInBundle}, bounded in what it holds), so the runner's combining, state on a
 * stream and a sort in batch, is paid per partial instead of per event.
 *
 * <pre>{@code
 * PCollection<StatsRow> rows = keyedValues.apply("Aggregate", WindowedStats.perKey());
 * }</pre>
 */
public final class WindowedStats
    extends PTransform<PCollection<KV<String, Double>>, PCollection<StatsRow>> {

  /** How many groups the keys are spread over when windows fire once. */
  static final int KEY_SHARDS = 32;

  public static WindowedStats perKey() {
    return new WindowedStats();
  }

  private WindowedStats() {}

  @Override
  public PCollection<StatsRow> expand(PCollection<KV<String, Double>> keyedValues) {
    if (firesOncePerWindow(keyedValues.getWindowingStrategy())) {
      return keyedValues
          .apply("CombineInBundle", ParDo.of(new CombineInBundleFn(KEY_SHARDS)))
          .setCoder(KvCoder.of(VarIntCoder.of(), KeyedPartialStatsFn.partialsCoder()))
          .apply("CombinePerShard", Combine.perKey(new KeyedPartialStatsFn()))
          .apply("ToRows", ParDo.of(new ShardToRowsFn()))
          .setCoder(StatsRowCoder.of());
    }
    return keyedValues
        .apply("CombinePerKey", Combine.perKey(new StatsFn()))
        .apply("ToRows", ParDo.of(new ToRowFn()))
        .setCoder(StatsRowCoder.of());
  }

  /**
   * Whether each key and window gets exactly one pane, so grouping several keys together cannot
   * change any key's rows: its windows never merge with another key's, and no element of one key
   * can make a pane fire that another key would not have fired.
   */
  static boolean firesOncePerWindow(WindowingStrategy<?, ?> strategy) {
    if (!strategy.getWindowFn().isNonMerging()
        || strategy.getAllowedLateness().getMillis() > 0
        || strategy.getTimestampCombiner() != TimestampCombiner.END_OF_WINDOW) {
      return false;
    }
    Trigger trigger = strategy.getTrigger();
    if (trigger instanceof DefaultTrigger || trigger instanceof AfterWatermark.FromEndOfWindow) {
      return true;
    }
    // Late firings cannot happen without allowed lateness; early ones would fire per group.
    if (!(trigger instanceof AfterWatermark.AfterWatermarkEarlyAndLate)) {
      return false;
    }
    // Without early firings Beam puts a trigger that never fires in their place.
    Trigger early = ((AfterWatermark.AfterWatermarkEarlyAndLate) trigger).getEarlyTrigger();
    return early == null || early instanceof Never.NeverTrigger;
  }

  private static final class ToRowFn extends DoFn<KV<String, Stats>, StatsRow> {
    private final RowsWritten rows = new RowsWritten();

    @ProcessElement
    public void process(
        @Element KV<String, Stats> stats,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<StatsRow> out) {
      if (stats.getValue().count() == 0) {
        return; // an empty pane (discarding panes, nothing new): there is nothing to report
      }
      rows.emitted(window);
      out.output(
          StatsRow.of(
              stats.getKey(),
              start(window),
              end(window),
              stats.getValue(),
              PaneTiming.of(pane),
              pane.getIndex(),
              pane.isLast()));
    }
  }

  private static final class ShardToRowsFn extends DoFn<KV<Integer, Map<String, Stats>>, StatsRow> {
    private final RowsWritten rows = new RowsWritten();

    @ProcessElement
    public void process(
        @Element KV<Integer, Map<String, Stats>> shard,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<StatsRow> out) {
      org.joda.time.Instant start = start(window);
      org.joda.time.Instant end = end(window);
      PaneInfo.Timing timing = PaneTiming.of(pane);
      for (Map.Entry<String, Stats> key : shard.getValue().entrySet()) {
        if (key.getValue().count() == 0) {
          continue;
        }
        rows.emitted(window);
        out.output(
            StatsRow.of(
                key.getKey(), start, end, key.getValue(), timing, pane.getIndex(), pane.isLast()));
      }
    }
  }

  static org.joda.time.Instant start(BoundedWindow window) {
    return window instanceof IntervalWindow
        ? ((IntervalWindow) window).start()
        : BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  static org.joda.time.Instant end(BoundedWindow window) {
    return window instanceof IntervalWindow
        ? ((IntervalWindow) window).end()
        : window.maxTimestamp().plus(org.joda.time.Duration.millis(1));
  }
}
