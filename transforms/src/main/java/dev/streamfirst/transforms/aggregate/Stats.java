package dev.streamfirst.transforms.aggregate;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * Count, sum, min, max and mean of a group of values.
 *
 * <p>{@link #sum()} and {@link #mean()} are the exact sum and mean rounded once to a double, so
 * they do not depend on the order in which a runner happened to add the values: the same input
 * gives bit-identical results on every runner.
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
