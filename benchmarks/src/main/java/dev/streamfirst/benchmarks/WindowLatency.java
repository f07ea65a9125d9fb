package dev.streamfirst.benchmarks;

import dev.streamfirst.benchmarks.OutputRowCollector.ReadRow;
import dev.streamfirst.benchmarks.PacedProducer.SentEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency of each result row, and a check that the rows are right.
 *
 * <p>For the row of key {@code k} and window {@code [s, e)}: <b>latency</b> = the time the row
 * became readable in the output topic − ({@code e + maxDisorder}). Event time here is the wall
 * clock at sending and the source's watermark is the latest event time minus {@code maxDisorder},
 * so no correct job can close the window before {@code e + maxDisorder}: until then it may still
 * get events. Latency is what the job adds on top: watermark propagation, firing, the sink, and for
 * exactly-once the wait for the checkpoint that commits the row. For reference each sample also
 * carries the time since the broker appended the window's last event of {@code k}, which includes
 * that unavoidable wait.
 *
 * <p>Beware the phase: a source emits watermarks on a periodic timer (200 ms by default) and
 * checkpoints, which commit exactly-once rows, come at a fixed interval, both started at a random
 * moment of the job's start, while window ends are whole multiples of the window size. When the
 * window size is a multiple of both periods, every window of a job meets the same phase, so one
 * job's latency is shifted by a constant of up to 200 ms (up to a checkpoint interval for
 * exactly-once) that differs from job to job. A window size that is not, such as {@code 1070ms},
 * makes the window ends sweep the phases within one run.
 *
 * <p>Only rows of windows inside {@code [from, until)} count, so a warm-up is left out; every
 * window there must have exactly one on-time row with the count of distinct events sent for it.
 */
final class WindowLatency {
  /** One row's latency and its time since the window's last event was appended, in ms. */
  record Sample(String key, long windowEnd, long latency, long sinceLastEvent) {}

  final List<Sample> samples = new ArrayList<>();

  /** Windows (of a key) with events but no row. */
  int missing;

  /** Rows whose count differs from the events sent, or that are not the one on-time row. */
  int wrong;

  /** Windows checked: those with events sent inside the measured span. */
  int expectedRows;

  private WindowLatency() {}

  /** No measurement: for a run that ended before it could measure. */
  static WindowLatency none() {
    return new WindowLatency();
  }

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
      long watermarkCanPass = row.windowEnd() + maxDisorderMillis;
      result.samples.add(
          new Sample(
              row.key(),
              row.windowEnd(),
              row.readAt() - watermarkCanPass,
              row.readAt() - window.getValue()[1]));
    }
    return result;
  }

  /** Whether every measured window had its one right row. */
  boolean valid() {
    return missing == 0 && wrong == 0 && expectedRows > 0;
  }

  /** The median latency of each window's rows, windows in order: shows a job falling behind. */
  List<Long> medianByWindow() {
    Map<Long, List<Long>> byEnd = new TreeMap<>();
    for (Sample sample : samples) {
      byEnd.computeIfAbsent(sample.windowEnd(), k -> new ArrayList<>()).add(sample.latency());
    }
    return byEnd.values().stream().map(v -> Percentiles.of(v).at(50)).toList();
  }

  Percentiles latency() {
    return Percentiles.of(samples.stream().map(Sample::latency).toList());
  }

  Percentiles sinceLastEvent() {
    return Percentiles.of(samples.stream().map(Sample::sinceLastEvent).toList());
  }
}
