package dev.streamfirst.transforms.aggregate;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * Count, sum, min, max and mean of a group of values.
 *
 * <p>{@link #sum()} is the exact sum rounded once to a double, and {@link #mean()} the exact sum
 * divided by the count to 34 significant digits, then rounded to a double. Neither depends on the
 * order in which a runner happened to add the values: the same input gives bit-identical results on
 * every runner.
 */
@AutoValue
public abstract class Stats implements Serializable {
  public abstract long count();

  public abstract double sum();

  public abstract double min();

  public abstract double max();

  public abstract double mean();

  public static Stats of(long count, double sum, double min, double max, double mean) {
    return new AutoValue_Stats(count, sum, min, max, mean);
  }
}
