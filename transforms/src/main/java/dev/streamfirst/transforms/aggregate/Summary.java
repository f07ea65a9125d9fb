package dev.streamfirst.transforms.aggregate;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * The {@link Stats} of a group of values with their approximate 50th, 95th and 99th percentiles and
 * the approximate number of distinct items among them. See {@link SummaryFn} for what is exact and
 * what is approximate.
 */
@AutoValue
public abstract class Summary implements Serializable {
  public abstract Stats stats();

  public abstract double p50();

  public abstract double p95();

  public abstract double p99();

  public abstract long distinct();

  public static Summary of(Stats stats, double p50, double p95, double p99, long distinct) {
    return new AutoValue_Summary(stats, p50, p95, p99, distinct);
  }
}
