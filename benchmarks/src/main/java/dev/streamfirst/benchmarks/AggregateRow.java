package dev.streamfirst.benchmarks;

import java.util.Comparator;

/**
 * One key and window's aggregate, as every variant reports it, so that their results can be
 * compared: no variant may win by doing less.
 */
record AggregateRow(String key, long windowStart, long count, double sum, double min, double max)
    implements Comparable<AggregateRow> {

  private static final Comparator<AggregateRow> ORDER =
      Comparator.comparing(AggregateRow::key).thenComparingLong(AggregateRow::windowStart);

  @Override
  public int compareTo(AggregateRow other) {
    return ORDER.compare(this, other);
  }

  /**
   * Same key, window, count, min and max; sums equal up to the last bits, since variants that add
   * doubles in another order may round differently.
   */
  boolean agreesWith(AggregateRow other) {
    return key.equals(other.key)
        && windowStart == other.windowStart
        && count == other.count
        && min == other.min
        && max == other.max
        && Math.abs(sum - other.sum) <= 1e-9 * Math.max(1, Math.abs(sum));
  }
}
