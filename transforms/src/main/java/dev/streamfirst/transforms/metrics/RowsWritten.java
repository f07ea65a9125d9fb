package dev.streamfirst.transforms.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;

/**
 * Counts the result rows a step emits and how long after its window's end each one left ({@link
 * StreamfirstMetrics#ROW_LATENCY_MS}), so every aggregation reports both the same way.
 *
 * <pre>{@code
 * private final RowsWritten rows = new RowsWritten();
 * ...
 * rows.emitted(window);
 * }</pre>
 */
public final class RowsWritten implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Counter rows = StreamfirstMetrics.counter(StreamfirstMetrics.ROWS_WRITTEN);
  private final Distribution latency =
      StreamfirstMetrics.distribution(StreamfirstMetrics.ROW_LATENCY_MS);
  private final Gauge latestLatency = StreamfirstMetrics.latest(StreamfirstMetrics.ROW_LATENCY_MS);

  /** One row of {@code window} emitted now. */
  public void emitted(BoundedWindow window) {
    rows.inc();
    // Only a window with an end has a latency; the global window's rows are emitted at any time.
    if (window instanceof IntervalWindow interval) {
      long millis = Math.max(0, System.currentTimeMillis() - interval.end().getMillis());
      latency.update(millis);
      latestLatency.set(millis);
    }
  }
}
