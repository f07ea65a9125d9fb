package dev.streamfirst.runners;

import dev.streamfirst.io.Secrets;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;

/** The counters of a running or finished pipeline, as a progress line and a closing summary. */
final class RunSummary {
  private final Map<String, Long> counters;
  private final double seconds;

  private RunSummary(Map<String, Long> counters, double seconds) {
    this.counters = counters;
    this.seconds = seconds;
  }

  /** A summary of counters read elsewhere (e.g. from a Flink cluster's REST API), by name. */
  static RunSummary of(Map<String, Long> counters, long startedNanos) {
    return new RunSummary(new HashMap<>(counters), (System.nanoTime() - startedNanos) / 1e9);
  }

  static RunSummary of(PipelineResult result, long startedNanos) {
    Map<String, Long> counters = new HashMap<>();
    try {
      MetricQueryResults metrics =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(StreamfirstMetrics.NAMESPACE))
                      .build());
      for (MetricResult<Long> counter : metrics.getCounters()) {
        counters.merge(counter.getName().getName(), valueOf(counter), Long::sum);
      }
    } catch (UnsupportedOperationException | IllegalStateException e) {
      // Some runners cannot report metrics while running; the summary then shows zeros.
    }
    return new RunSummary(counters, (System.nanoTime() - startedNanos) / 1e9);
  }

  private static long valueOf(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      return committed != null ? committed : counter.getAttempted();
    } catch (UnsupportedOperationException e) {
      return counter.getAttempted();
    }
  }

  long get(String name) {
    return counters.getOrDefault(name, 0L);
  }

  String progressLine() {
    return String.format(
        Locale.ROOT,
        "  [%6.1fs] read %,d · valid %,d · duplicates %,d · dead letters %,d · rows %,d",
        seconds,
        get(StreamfirstMetrics.EVENTS_READ),
        get(StreamfirstMetrics.EVENTS_VALID),
        get(StreamfirstMetrics.DUPLICATES_DROPPED),
        get(StreamfirstMetrics.DEAD_LETTERS),
        get(StreamfirstMetrics.ROWS_WRITTEN));
  }

  String describe(String verb) {
    long read = get(StreamfirstMetrics.EVENTS_READ);
    return String.format(
        Locale.ROOT,
        "%s in %.1f s: %,d events read, %,d valid, %,d duplicates dropped, %,d dead letters,"
            + " %,d window rows written, %,.0f events/s",
        verb,
        seconds,
        read,
        get(StreamfirstMetrics.EVENTS_VALID),
        get(StreamfirstMetrics.DUPLICATES_DROPPED),
        get(StreamfirstMetrics.DEAD_LETTERS),
        get(StreamfirstMetrics.ROWS_WRITTEN),
        seconds > 0 ? read / seconds : 0.0);
  }

  static String describeIo(PipelineOptions options) {
    StringBuilder io = new StringBuilder();
    if (options instanceof SourceOptions) {
      io.append("source ").append(Secrets.maskUri(((SourceOptions) options).getSource()));
    }
    if (options instanceof SinkOptions) {
      SinkOptions sinks = (SinkOptions) options;
      io.append("\n  rows → ")
          .append(Secrets.maskUri(sinks.getSink()))
          .append("\n  dead letters → ")
          .append(Secrets.maskUri(sinks.getDeadLetter()));
    }
    return io.toString();
  }
}
