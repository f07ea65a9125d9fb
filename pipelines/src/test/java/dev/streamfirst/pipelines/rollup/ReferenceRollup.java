package dev.streamfirst.pipelines.rollup;

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
 * The rollup computed the plain way, in one thread, with no Beam: the independent answer that the
 * pipeline's output is checked against.
 */
public final class ReferenceRollup {
  /**
   * Carries a mean far beyond any double's digits, so rounding it to a double is the only rounding.
   */
  private static final MathContext EXACT_ENOUGH = new MathContext(1200, RoundingMode.HALF_EVEN);

  /** One valid event: its id, key, event time (epoch millis) and value. */
  public record Input(String id, String key, long ts, double value) {}

  record Row(
      String key,
      long start,
      long end,
      long count,
      double sum,
      double min,
      double max,
      double mean) {}

  enum Kind {
    FIXED,
    SLIDING,
    SESSION
  }

  private ReferenceRollup() {}

  /** Per id, sorted by event time: an event counts unless it is within ttl of the last that did. */
  public static List<Input> dedup(List<Input> events, long ttl) {
    Map<String, List<Input>> byId =
        events.stream()
            .collect(Collectors.groupingBy(Input::id, TreeMap::new, Collectors.toList()));
    List<Input> kept = new ArrayList<>();
    for (List<Input> copies : byId.values()) {
      copies.sort(Comparator.comparingLong(Input::ts));
      Long last = null;
      for (Input e : copies) {
        if (last == null || e.ts() - last >= ttl) {
          kept.add(e);
          last = e.ts();
        }
      }
    }
    return kept;
  }

  static List<Row> rollup(List<Input> events, Kind kind, long size, long period, long ttl) {
    Map<String, Map<List<Long>, List<Double>>> groups = new TreeMap<>();
    List<Input> unique = dedup(events, ttl);
    if (kind == Kind.SESSION) {
      Map<String, List<Input>> byKey =
          unique.stream()
              .collect(Collectors.groupingBy(Input::key, TreeMap::new, Collectors.toList()));
      for (Map.Entry<String, List<Input>> key : byKey.entrySet()) {
        List<Input> sorted = new ArrayList<>(key.getValue());
        sorted.sort(Comparator.comparingLong(Input::ts));
        long start = 0;
        long end = Long.MIN_VALUE;
        List<Double> values = new ArrayList<>();
        for (Input e : sorted) {
          // Sessions merge only when they overlap: an event exactly one gap later starts anew.
          if (e.ts() >= end) {
            if (!values.isEmpty()) {
              add(groups, key.getKey(), start, end, values);
            }
            start = e.ts();
            values = new ArrayList<>();
          }
          end = Math.max(end, e.ts() + size);
          values.add(e.value());
        }
        add(groups, key.getKey(), start, end, values);
      }
    } else {
      long step = kind == Kind.FIXED ? size : period;
      for (Input e : unique) {
        for (long start = Math.floorDiv(e.ts(), step) * step;
            start > e.ts() - size;
            start -= step) {
          groups
              .computeIfAbsent(e.key(), k -> new TreeMap<>(Comparator.comparing(l -> l.get(0))))
              .computeIfAbsent(List.of(start, start + size), w -> new ArrayList<>())
              .add(e.value());
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Map<List<Long>, List<Double>>> key : groups.entrySet()) {
      for (Map.Entry<List<Long>, List<Double>> window : key.getValue().entrySet()) {
        List<Double> values = window.getValue();
        BigDecimal sum = BigDecimal.ZERO;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
          sum = sum.add(new BigDecimal(v));
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        double mean = sum.divide(BigDecimal.valueOf(values.size()), EXACT_ENOUGH).doubleValue();
        rows.add(
            new Row(
                key.getKey(),
                window.getKey().get(0),
                window.getKey().get(1),
                values.size(),
                sum.doubleValue(),
                min,
                max,
                mean));
      }
    }
    return rows;
  }

  private static void add(
      Map<String, Map<List<Long>, List<Double>>> groups,
      String key,
      long start,
      long end,
      List<Double> values) {
    groups
        .computeIfAbsent(key, k -> new TreeMap<>(Comparator.comparing(l -> l.get(0))))
        .put(List.of(start, end), values);
  }

  /**
   * The row as the fields the pipeline writes, for comparison:
   * key|start|end|count|sum|min|max|mean.
   */
  static String format(Row r) {
    return String.join(
        "|",
        r.key(),
        java.time.Instant.ofEpochMilli(r.start()).toString(),
        java.time.Instant.ofEpochMilli(r.end()).toString(),
        Long.toString(r.count()),
        Double.toString(r.sum()),
        Double.toString(r.min()),
        Double.toString(r.max()),
        Double.toString(r.mean()));
  }
}
