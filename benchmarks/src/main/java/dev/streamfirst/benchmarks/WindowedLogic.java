package dev.streamfirst.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two pipelines the sessions and sensors benchmark measures, with what every variant of each
 * must compute: after dedup (the rollup's rule, {@link RollupLogic#DEDUP_TTL_MILLIS}), per key
 * either sessions of {@code gapMillis}, or count, sum, min, max and distinct readings per sliding
 * window of {@link #SENSORS_WINDOW_MILLIS} every {@link #SENSORS_PERIOD_MILLIS} (the sensors
 * pipeline's default window).
 */
enum WindowedLogic {
  SESSIONS,
  SENSORS;

  static final long SENSORS_WINDOW_MILLIS = 300_000;
  static final long SENSORS_PERIOD_MILLIS = 60_000;

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The answer from a plain single-threaded loop over the valid, deduplicated events. */
  List<WindowRow> reference(List<PlainEvents.Event> events, long gapMillis) {
    return switch (this) {
      case SESSIONS -> sessions(events, gapMillis);
      case SENSORS -> sensors(events);
    };
  }

  private static List<WindowRow> sessions(List<PlainEvents.Event> events, long gap) {
    Map<String, List<Long>> times = new HashMap<>();
    for (PlainEvents.Event e : events) {
      times.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.ts());
    }
    List<WindowRow> rows = new ArrayList<>();
    times.forEach(
        (key, list) -> {
          list.sort(null);
          long first = list.get(0);
          long last = first;
          long count = 0;
          for (long ts : list) {
            // Each event's window is [ts, ts + gap); two merge when they overlap.
            if (ts - last >= gap) {
              rows.add(WindowRow.session(key, first, last + gap, count, first, last));
              first = ts;
              count = 0;
            }
            last = ts;
            count++;
          }
          rows.add(WindowRow.session(key, first, last + gap, count, first, last));
        });
    return rows;
  }

  private static List<WindowRow> sensors(List<PlainEvents.Event> events) {
    Map<String, Map<Long, double[]>> windows = new HashMap<>();
    Map<String, Map<Long, Set<String>>> readings = new HashMap<>();
    for (PlainEvents.Event e : events) {
      long last = e.ts() - Math.floorMod(e.ts(), SENSORS_PERIOD_MILLIS);
      for (long start = last;
          start > e.ts() - SENSORS_WINDOW_MILLIS;
          start -= SENSORS_PERIOD_MILLIS) {
        double[] a =
            windows
                .computeIfAbsent(e.key(), k -> new HashMap<>())
                .computeIfAbsent(
                    start,
                    w -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        a[0]++;
        a[1] += e.value();
        a[2] = Math.min(a[2], e.value());
        a[3] = Math.max(a[3], e.value());
        readings
            .computeIfAbsent(e.key(), k -> new HashMap<>())
            .computeIfAbsent(start, w -> new HashSet<>())
            .add(Double.toString(e.value()));
      }
    }
    List<WindowRow> rows = new ArrayList<>();
    windows.forEach(
        (key, byStart) ->
            byStart.forEach(
                (start, a) ->
                    rows.add(
                        new WindowRow(
                            key,
                            start,
                            start + SENSORS_WINDOW_MILLIS,
                            (long) a[0],
                            a[1],
                            a[2],
                            a[3],
                            readings.get(key).get(start).size()))));
    return rows;
  }
}
