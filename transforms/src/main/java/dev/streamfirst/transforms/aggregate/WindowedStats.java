package dev.streamfirst.transforms.aggregate;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Per key and window: count, sum, min, max and mean, as {@link StatsRow}s that say which window and
 * pane they belong to. Input must already be windowed (see {@code EventWindows}). Rows of the
 * global window span from Beam's earliest to its latest timestamp.
 *
 * <pre>{@code
 * PCollection<StatsRow> rows = keyedValues.apply("Aggregate", WindowedStats.perKey());
 * }</pre>
 */
public final class WindowedStats
    extends PTransform<PCollection<KV<String, Double>>, PCollection<StatsRow>> {

  public static WindowedStats perKey() {
    return new WindowedStats();
  }

  private WindowedStats() {}

  @Override
  public PCollection<StatsRow> expand(PCollection<KV<String, Double>> keyedValues) {
    return keyedValues
        .apply("CombinePerKey", Combine.perKey(new StatsFn()))
        .apply("ToRows", ParDo.of(new ToRowFn()))
        .setCoder(SerializableCoder.of(StatsRow.class));
  }

  private static final class ToRowFn extends DoFn<KV<String, Stats>, StatsRow> {
    private final Counter rows = StreamfirstMetrics.counter(StreamfirstMetrics.ROWS_WRITTEN);

    @ProcessElement
    public void process(
        @Element KV<String, Stats> stats,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<StatsRow> out) {
      rows.inc();
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
