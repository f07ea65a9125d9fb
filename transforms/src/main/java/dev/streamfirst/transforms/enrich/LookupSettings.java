package dev.streamfirst.transforms.enrich;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * How {@link EnrichFromLookup} caches, batches, bounds, times out and retries its calls: an
 * immutable value whose {@code withX} copies check their argument, so options can hold one and pass
 * it on whole ({@link EnrichFromLookup#withSettings}).
 *
 * <pre>{@code
 * LookupSettings settings = LookupSettings.defaults().withBatchSize(200).withoutCache();
 * }</pre>
 */
@AutoValue
public abstract class LookupSettings implements Serializable {
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final String DEFAULT_MAX_BATCH_WAIT_TEXT = "100ms";
  public static final long DEFAULT_CACHE_SIZE = 100_000;
  public static final String DEFAULT_CACHE_TTL_TEXT = "10m";
  public static final int DEFAULT_MAX_CONCURRENCY = 4;
  public static final String DEFAULT_TIMEOUT_TEXT = "5s";
  public static final int DEFAULT_MAX_RETRIES = 3;
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.millis(100);
  static final Duration MAX_BACKOFF = Duration.standardSeconds(10);

  /**
   * Call threads per allowed concurrent call: a call abandoned at its timeout may hold its thread
   * until the service answers (a JDBC driver ignores interrupts), and one more per call lets the
   * retry start meanwhile. Beyond that, a retry waits for a thread instead of adding one.
   */
  static final int CALL_THREADS_PER_CALL = 2;

  public abstract int batchSize();

  public abstract Duration maxBatchWait();

  /** Entries kept per worker; 0 means no cache. */
  public abstract long cacheSize();

  public abstract Duration cacheTtl();

  public abstract int maxConcurrency();

  public abstract Duration timeout();

  public abstract int maxRetries();

  public abstract Duration initialBackoff();

  /** What happens when the service still fails transiently after the retries. */
  public abstract OnOutage onOutage();

  abstract Builder toBuilder();

  public static LookupSettings defaults() {
    return new AutoValue_LookupSettings.Builder()
        .setBatchSize(DEFAULT_BATCH_SIZE)
        .setMaxBatchWait(Durations.parse(DEFAULT_MAX_BATCH_WAIT_TEXT))
        .setCacheSize(DEFAULT_CACHE_SIZE)
        .setCacheTtl(Durations.parse(DEFAULT_CACHE_TTL_TEXT))
        .setMaxConcurrency(DEFAULT_MAX_CONCURRENCY)
        .setTimeout(Durations.parse(DEFAULT_TIMEOUT_TEXT))
        .setMaxRetries(DEFAULT_MAX_RETRIES)
        .setInitialBackoff(DEFAULT_INITIAL_BACKOFF)
        .setOnOutage(OnOutage.WAIT)
        .build();
  }

  boolean cached() {
    return cacheSize() > 0;
  }

  /** Most distinct keys in one lookup call; 1 makes one call per key. */
  public LookupSettings withBatchSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("withBatchSize() must be at least 1, got " + size);
    }
    return toBuilder().setBatchSize(size).build();
  }

  /** Longest a key waits in an open batch for more keys before the batch is sent. */
  public LookupSettings withMaxBatchWait(Duration wait) {
    if (wait == null || wait.getMillis() < 0) {
      throw new IllegalArgumentException(
          "withMaxBatchWait() must be zero or positive, got " + format(wait));
    }
    return toBuilder().setMaxBatchWait(wait).build();
  }

  /** Most keys the per-worker cache keeps (least recently used leave first). */
  public LookupSettings withCacheSize(long entries) {
    if (entries < 1) {
      throw new IllegalArgumentException(
          "withCacheSize() must be at least 1, got "
              + entries
              + "; to turn caching off use withoutCache()");
    }
    return toBuilder().setCacheSize(entries).build();
  }

  /** How long a cached answer (a record, or that a key has none) is used after it was fetched. */
  public LookupSettings withCacheTtl(Duration ttl) {
    if (ttl == null || ttl.getMillis() <= 0) {
      throw new IllegalArgumentException("withCacheTtl() must be positive, got " + format(ttl));
    }
    return toBuilder().setCacheTtl(ttl).build();
  }

  /** Looks every element's key up, caching nothing. */
  public LookupSettings withoutCache() {
    return toBuilder().setCacheSize(0).build();
  }

  /** Most lookup calls in progress at once per worker. */
  public LookupSettings withMaxConcurrency(int calls) {
    if (calls < 1) {
      throw new IllegalArgumentException("withMaxConcurrency() must be at least 1, got " + calls);
    }
    return toBuilder().setMaxConcurrency(calls).build();
  }

  /** Longest one call may take; a call that takes longer is abandoned and counts as transient. */
  public LookupSettings withTimeout(Duration timeout) {
    if (timeout == null || timeout.getMillis() <= 0) {
      throw new IllegalArgumentException("withTimeout() must be positive, got " + format(timeout));
    }
    return toBuilder().setTimeout(timeout).build();
  }

  /** How often a call that failed transiently is repeated; 0 never repeats it. */
  public LookupSettings withMaxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("withMaxRetries() must be 0 or more, got " + retries);
    }
    return toBuilder().setMaxRetries(retries).build();
  }

  /** The wait before the first retry; later waits grow exponentially, with jitter, up to 10s. */
  public LookupSettings withInitialBackoff(Duration backoff) {
    if (backoff == null || backoff.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "withInitialBackoff() must be positive, got " + format(backoff));
    }
    return toBuilder().setInitialBackoff(backoff).build();
  }

  /** What to do when the service still fails transiently after the retries ({@link OnOutage}). */
  public LookupSettings withOnOutage(OnOutage onOutage) {
    if (onOutage == null) {
      throw new IllegalArgumentException(
          "withOnOutage() needs WAIT, FAIL or DEAD_LETTER, got null");
    }
    return toBuilder().setOnOutage(onOutage).build();
  }

  private static String format(@Nullable Duration d) {
    return d == null ? "null" : Durations.format(d);
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBatchSize(int size);

    abstract Builder setMaxBatchWait(Duration wait);

    abstract Builder setCacheSize(long size);

    abstract Builder setCacheTtl(Duration ttl);

    abstract Builder setMaxConcurrency(int concurrency);

    abstract Builder setTimeout(Duration timeout);

    abstract Builder setMaxRetries(int retries);

    abstract Builder setInitialBackoff(Duration backoff);

    abstract Builder setOnOutage(OnOutage onOutage);

    abstract LookupSettings build();
  }
}
