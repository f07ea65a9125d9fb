package dev.streamfirst.benchmarks;

import dev.streamfirst.benchmarks.OutputRowCollector.ReadRow;
import dev.streamfirst.benchmarks.PacedProducer.SentEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end latency of each result row, and a check that the rows are right.
 *
 * <p>For the row of key {@code k} and window {@code [s, e)}: latency = the time the row became
 * readable in the output topic − the time the broker appended the last event of {@code k} in that
 * window. It splits in two. The <i>watermark wait</i> is what the configured disorder makes any
 * correct job wait: the source's watermark is the latest event time minus {@code maxDisorder}, so
 * it passes {@code e} at {@code e + maxDisorder} at the earliest (event time here is the wall clock
 * at sending); until then the window may still get events. The <i>processing</i> part is the rest:
 * readable − ({@code e + maxDisorder}): watermark propagation, firing, the sink, and for
 * exactly-once the wait for the checkpoint that commits the row.
 *
 * <p>Only rows of windows inside {@code [from, until)} count, so a warm-up is left out; every
 * window there must have exactly one on-time row with the count of distinct events sent for it.
 */
final class WindowLatency {
  /** One row's latency and its two parts, in milliseconds. */
  record Sample(String key, long windowEnd, long total, long watermarkWait, long processing) {}

  final List<Sample> samples = new ArrayList<>();

  /** Windows (of a key) with events but no row. */
  int missing;

  /** Rows whose count differs from the events sent, or that are not the one on-time row. */
  int wrong;

  /** Windows checked: those with events sent inside the measured span. */
  int expectedRows;

  private WindowLatency() {}

  static WindowLatency measure(
      List<SentEvent> sent,
      List<ReadRow> rows,
      long windowMillis,
      long maxDisorderMillis,
      long from,
      long until) {
    Map<String, long[]> expected = new HashMap<>(); // key|windowStart -> {count, lastAppend}
    for (SentEvent e : sent) {
      long start = Math.floorDiv(e.eventTime(), windowMillis) * windowMillis;
      if (start < from || start + windowMillis > until) {
        continue;
      }
      long[] window = expected.computeIfAbsent(e.key() + "|" + start, k -> new long[2]);
      window[0]++;
      window[1] = Math.max(window[1], e.appendTime());
    }
    WindowLatency result = new WindowLatency();
    result.expectedRows = expected.size();
    Map<String, ReadRow> firstRead = new HashMap<>();
    for (ReadRow row : rows) {
      String id = row.key() + "|" + row.windowStart();
      if (!expected.containsKey(id)) {
        continue;
      }
      if (firstRead.putIfAbsent(id, row) != null || !"ON_TIME".equals(row.pane())) {
        result.wrong++;
      }
    }
    for (Map.Entry<String, long[]> window : expected.entrySet()) {
      ReadRow row = firstRead.get(window.getKey());
      if (row == null) {
        result.missing++;
        continue;
      }
      if (row.count() != window.getValue()[0]) {
        result.wrong++;
      }
      long lastAppend = window.getValue()[1];
      long watermarkCanPass = row.windowEnd() + maxDisorderMillis;
      result.samples.add(
          new Sample(
              row.key(),
              row.windowEnd(),
              row.readAt() - lastAppend,
              Math.max(0, watermarkCanPass - lastAppend),
              row.readAt() - watermarkCanPass));
    }
    return result;
  }

  /** The median latency of each window's rows, windows in order: shows a job falling behind. */
  List<Long> medianByWindow() {
    Map<Long, List<Long>> byEnd = new java.util.TreeMap<>();
    for (Sample sample : samples) {
      byEnd.computeIfAbsent(sample.windowEnd(), k -> new ArrayList<>()).add(sample.total());
    }
    return byEnd.values().stream().map(v -> Percentiles.of(v).at(50)).toList();
  }

  Percentiles total() {
    return Percentiles.of(samples.stream().map(Sample::total).toList());
  }

  Percentiles watermarkWait() {
    return Percentiles.of(samples.stream().map(Sample::watermarkWait).toList());
  }

  Percentiles processing() {
    return Percentiles.of(samples.stream().map(Sample::processing).toList());
  }
}
