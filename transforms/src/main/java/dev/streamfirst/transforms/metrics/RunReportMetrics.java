package dev.streamfirst.transforms.metrics;

import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.DeadLetter;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.joda.time.Instant;

/**
 * The counters behind a run report, kept apart from {@link StreamfirstMetrics} in their own
 * namespace because some are named by data (a window's start): rows per window, dead letters per
 * stage, and a histogram of row latency (processing time when a row is handed to its sink minus its
 * window's end). A launcher polls them while the job runs, on any runner, like any counter.
 *
 * <pre>{@code
 * RunReportMetrics.Tap tap = RunReportMetrics.tap();   // one per step, serializable
 * tap.observe(row);                                      // a StatsRow, SummaryRow or DeadLetter
 * }</pre>
 *
 * <p>The number of per-window counters is bounded: each tap instance names at most {@link
 * #MAX_WINDOWS} windows; rows of further windows go to {@link #ROWS_LATER_WINDOWS}, so a job that
 * runs for months does not grow its runner's metric registry without end.
 */
public final class RunReportMetrics {
  /**
   * Not {@code streamfirst}: Flink names counters {@code <namespace>_<name>}, and these must not
   * look like {@code streamfirst_*} ones to whoever reads that namespace by prefix.
   */
  public static final String NAMESPACE = "runreport";

  /** {@code rows_window_<window start, epoch ms>}: rows handed to the sink for that window. */
  public static final String ROWS_WINDOW_PREFIX = "rows_window_";

  /** Rows of windows beyond the first {@link #MAX_WINDOWS} a tap instance saw. */
  public static final String ROWS_LATER_WINDOWS = "rows_later_windows";

  /** {@code dead_letters_stage_<stage>}: dead letters handed to their sink, by stage. */
  public static final String DEAD_LETTERS_STAGE_PREFIX = "dead_letters_stage_";

  /**
   * {@code row_latency_le_<ms>}: rows whose latency was at most that many milliseconds and more
   * than the bound before; {@code row_latency_le_inf} for the rest.
   */
  public static final String ROW_LATENCY_PREFIX = "row_latency_le_";

  /** Upper bounds of the latency histogram's buckets, in milliseconds. */
  public static final List<Long> LATENCY_BOUNDS_MS =
      List.of(
          100L,
          250L,
          500L,
          1_000L,
          2_500L,
          5_000L,
          10_000L,
          30_000L,
          60_000L,
          300_000L,
          3_600_000L);

  /** The name of the bucket beyond the last bound. */
  public static final String LATENCY_INFINITE = "inf";

  public static final int MAX_WINDOWS = 1_000;

  private RunReportMetrics() {}

  /** A new tap; each deserialized copy counts on its own. */
  public static Tap tap() {
    return new Tap();
  }

  /** The counter name of a window's rows. */
  public static String rowsInWindow(Instant windowStart) {
    return ROWS_WINDOW_PREFIX + windowStart.getMillis();
  }

  /** The counter name of the latency bucket that {@code latencyMs} falls in. */
  public static String latencyBucket(long latencyMs) {
    for (long bound : LATENCY_BOUNDS_MS) {
      if (latencyMs <= bound) {
        return ROW_LATENCY_PREFIX + bound;
      }
    }
    return ROW_LATENCY_PREFIX + LATENCY_INFINITE;
  }

  /** The counter name of a stage's dead letters, in snake case. */
  public static String deadLettersAt(String stage) {
    String name =
        stage == null ? "unknown" : stage.replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
    return DEAD_LETTERS_STAGE_PREFIX + name;
  }

  /**
   * Counts what a pipeline hands to its sinks. Cheap enough for every output item: a map lookup and
   * a counter increment; nothing is parsed.
   */
  public static final class Tap implements Serializable {
    private transient Map<String, Counter> counters;
    private transient int windows;

    private Tap() {}

    /** Counts {@code item} if it is a windowed row or a dead letter; ignores anything else. */
    public void observe(Object item) {
      Object row = item instanceof Enriched<?> enriched ? enriched.element() : item;
      if (row instanceof StatsRow stats) {
        countRow(stats.windowStart(), stats.windowEnd());
      } else if (row instanceof SummaryRow summary) {
        countRow(summary.windowStart(), summary.windowEnd());
      } else if (row instanceof DeadLetter deadLetter) {
        counter(deadLettersAt(deadLetter.stage())).inc();
      }
    }

    private void countRow(Instant windowStart, Instant windowEnd) {
      String window = rowsInWindow(windowStart);
      if (counters().containsKey(window) || windows < MAX_WINDOWS) {
        if (!counters().containsKey(window)) {
          windows++;
        }
        counter(window).inc();
      } else {
        counter(ROWS_LATER_WINDOWS).inc();
      }
      counter(latencyBucket(Math.max(0, Instant.now().getMillis() - windowEnd.getMillis()))).inc();
    }

    private Map<String, Counter> counters() {
      if (counters == null) {
        counters = new HashMap<>();
      }
      return counters;
    }

    private Counter counter(String name) {
      return counters().computeIfAbsent(name, n -> Metrics.counter(NAMESPACE, n));
    }
  }
}
