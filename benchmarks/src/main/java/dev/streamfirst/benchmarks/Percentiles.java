package dev.streamfirst.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of a sample: the smallest value with at least p % at or below it. */
final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  static Percentiles of(List<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Percentiles(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The {@code p}-th percentile, {@code 0 < p <= 100}; 0 for an empty sample. */
  long at(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }
}
