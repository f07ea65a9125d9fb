package dev.streamfirst.runners;

import dev.streamfirst.io.Secrets;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

  /** Every counter, by name. */
  Map<String, Long> counters() {
    return java.util.Collections.unmodifiableMap(counters);
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

  /**
   * The progress so far; {@code outputs} are the pipeline's outputs besides dead letters, as its
   * write steps name them ({@code Rows}, {@code Alerts}; see {@link PlannedRun#outputs()}).
   */
  String progressLine(List<String> outputs) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "  [%6.1fs] read %,d · valid %,d · duplicates %,d · dead letters %,d",
                seconds,
                read(),
                get(StreamfirstMetrics.EVENTS_VALID),
                get(StreamfirstMetrics.DUPLICATES_DROPPED),
                get(StreamfirstMetrics.DEAD_LETTERS)));
    for (String output : outputs) {
      line.append(String.format(Locale.ROOT, " · %s %,d", label(output), output(output)));
    }
    return line.toString();
  }

  String describe(String verb, List<String> outputs) {
    long read = read();
    List<String> written = new ArrayList<>();
    for (String output : outputs) {
      written.add(String.format(Locale.ROOT, "%,d %s", output(output), label(output)));
    }
    return String.format(
        Locale.ROOT,
        "%s in %.1f s: %,d events read, %,d valid, %,d duplicates dropped, %,d dead letters"
            + " (%,d of them late)%s, %,.0f events/s",
        verb,
        seconds,
        read,
        get(StreamfirstMetrics.EVENTS_VALID),
        get(StreamfirstMetrics.DUPLICATES_DROPPED),
        get(StreamfirstMetrics.DEAD_LETTERS),
        get(StreamfirstMetrics.LATE_EVENTS),
        written.isEmpty() ? "" : ", " + joinWithAnd(written) + " written",
        seconds > 0 ? read / seconds : 0.0);
  }

  /**
   * Events read; counters are sampled one by one while a job runs, so an earlier sample of the
   * events read can trail the valid ones counted after it. Every valid event was read, so that many
   * at least.
   */
  private long read() {
    return Math.max(get(StreamfirstMetrics.EVENTS_READ), get(StreamfirstMetrics.EVENTS_VALID));
  }

  private long output(String output) {
    long counted = get(StreamfirstMetrics.output(output));
    // Counted as they are handed to the sink; a runner without metrics leaves the aggregation's.
    return output.equals("Rows")
        ? Math.max(counted, get(StreamfirstMetrics.ROWS_WRITTEN))
        : counted;
  }

  private static String label(String output) {
    return output.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  private static String joinWithAnd(List<String> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1))
        + " and "
        + parts.get(parts.size() - 1);
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
