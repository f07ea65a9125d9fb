package dev.streamfirst.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the rollup benchmark repeats its runs: the order of each round, and the median of a variant's
 * times over the rounds.
 */
final class Rounds {
  private Rounds() {}

  /**
   * The plan as run in round {@code round} (from 0): rotated by {@code round} places, so that over
   * two or more rounds no step always runs first or always last, and each step follows another one
   * from round to round. Each step runs in a JVM of its own, so the order matters only for the
   * state of the machine (page cache, load, heat) that a run leaves to the next.
   */
  static <T> List<T> order(List<T> plan, int round) {
    if (round < 0) {
      throw new IllegalArgumentException("round must be >= 0, got " + round);
    }
    List<T> order = new ArrayList<>(plan.size());
    for (int i = 0; i < plan.size(); i++) {
      order.add(plan.get((i + round) % plan.size()));
    }
    return order;
  }

  /** The median: the middle value, or the mean of the two middle values of an even count. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the median of no values is undefined");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
