package dev.streamfirst.benchmarks;

import java.util.Comparator;

/**
 * One key and window's result of the sessions or the sensors logic, as every variant reports it.
 * Sessions fill {@code count} with the session's events, {@code min} and {@code max} with its first
 * and last event time (epoch millis) and leave {@code sum} and {@code distinct} at zero.
 */
record WindowRow(
    String key, long start, long end, long count, double sum, double min, double max, long distinct)
    implements Comparable<WindowRow> {

  private static final Comparator<WindowRow> ORDER =
      Comparator.comparing(WindowRow::key)
          .thenComparingLong(WindowRow::start)
          .thenComparingLong(WindowRow::end);

  static WindowRow session(String key, long start, long end, long events, long first, long last) {
    return new WindowRow(key, start, end, events, 0, first, last, 0);
  }

  @Override
  public int compareTo(WindowRow other) {
    return ORDER.compare(this, other);
  }

  /** Everything equal, sums up to the last bits (other orders of adding round differently). */
  boolean agreesWith(WindowRow other) {
    return key.equals(other.key)
        && start == other.start
        && end == other.end
        && count == other.count
        && min == other.min
        && max == other.max
        && distinct == other.distinct
        && Math.abs(sum - other.sum) <= 1e-9 * Math.max(1, Math.abs(sum));
  }
}
