package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.pipelines.rollup.ReferenceRollup;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The sensors pipeline computed the plain way, in one thread, with no Beam: sliding-window
 * summaries with nearest-rank percentiles, threshold alerts and silences.
 */
final class ReferenceSensors {
  /**
   * Carries a mean far beyond any double's digits, so rounding it to a double is the only rounding.
   */
  private static final MathContext EXACT_ENOUGH = new MathContext(1200, RoundingMode.HALF_EVEN);

  record Row(
      String key,
      long start,
      long end,
      long count,
      double sum,
      double min,
      double max,
      double mean,
      double p50,
      double p95,
      double p99,
      long distinct) {}

  private ReferenceSensors() {}

  static List<Row> rows(List<Input> events, long size, long period, long ttl) {
    Map<String, Map<Long, List<Double>>> groups = new TreeMap<>();
    for (Input e : ReferenceRollup.dedup(events, ttl)) {
      for (long start = Math.floorDiv(e.ts(), period) * period;
          start > e.ts() - size;
          start -= period) {
        groups
            .computeIfAbsent(e.key(), k -> new TreeMap<>())
            .computeIfAbsent(start, s -> new ArrayList<>())
            .add(e.value());
      }
    }
    List<Row> rows = new ArrayList<>();
    groups.forEach(
        (key, windows) ->
            windows.forEach(
                (start, values) -> {
                  List<Double> sorted = new ArrayList<>(values);
                  sorted.sort(Comparator.naturalOrder());
                  BigDecimal sum = BigDecimal.ZERO;
                  for (double v : sorted) {
                    sum = sum.add(new BigDecimal(v));
                  }
                  int n = sorted.size();
                  rows.add(
                      new Row(
                          key,
                          start,
                          start + size,
                          n,
                          sum.doubleValue(),
                          sorted.get(0),
                          sorted.get(n - 1),
                          sum.divide(BigDecimal.valueOf(n), EXACT_ENOUGH).doubleValue(),
                          nearestRank(sorted, 50),
                          nearestRank(sorted, 95),
                          nearestRank(sorted, 99),
                          sorted.stream().map(String::valueOf).distinct().count()));
                }));
    return rows;
  }

  /** The value at rank ceil(p/100 * n), counting from 1. */
  private static double nearestRank(List<Double> sorted, int percentile) {
    int rank = (int) Math.ceil(percentile * sorted.size() / 100.0);
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** "key|STATUS|at" per alert change of {@code mean > threshold for n windows}. */
  static List<String> meanAlerts(List<Row> rows, double threshold, int n) {
    Map<String, List<Row>> byKey =
        rows.stream().collect(Collectors.groupingBy(Row::key, TreeMap::new, Collectors.toList()));
    List<String> alerts = new ArrayList<>();
    byKey.forEach(
        (key, keyRows) -> {
          keyRows.sort(Comparator.comparingLong(Row::start));
          int streak = 0;
          for (Row r : keyRows) {
            if (r.mean() > threshold) {
              if (++streak == n) {
                alerts.add(key + "|OPEN|" + org.joda.time.Instant.ofEpochMilli(r.end()));
              }
            } else {
              if (streak >= n) {
                alerts.add(key + "|RESOLVED|" + org.joda.time.Instant.ofEpochMilli(r.end()));
              }
              streak = 0;
            }
          }
        });
    return alerts;
  }

  /** "key|STATUS|at" per silence longer than {@code gap} between a key's events. */
  static List<String> silences(List<Input> events, long ttl, long gap) {
    Map<String, List<Long>> byKey = new TreeMap<>();
    for (Input e : ReferenceRollup.dedup(events, ttl)) {
      byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.ts());
    }
    List<String> alerts = new ArrayList<>();
    byKey.forEach(
        (key, times) -> {
          times.sort(Comparator.naturalOrder());
          for (int i = 1; i < times.size(); i++) {
            long last = times.get(i - 1);
            if (times.get(i) - last > gap) {
              alerts.add(key + "|OPEN|" + org.joda.time.Instant.ofEpochMilli(last + gap));
              alerts.add(key + "|RESOLVED|" + org.joda.time.Instant.ofEpochMilli(times.get(i)));
            }
          }
        });
    return alerts;
  }
}
