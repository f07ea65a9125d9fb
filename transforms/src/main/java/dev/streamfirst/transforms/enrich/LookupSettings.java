package dev.streamfirst.transforms.enrich;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.joda.time.Duration;

/** How {@link Enrich#fromLookup} caches, batches, bounds, times out and retries its calls. */
@AutoValue
abstract class LookupSettings implements Serializable {
  static final int DEFAULT_BATCH_SIZE = 100;
  static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.millis(100);
  static final long DEFAULT_CACHE_SIZE = 100_000;
  static final Duration DEFAULT_CACHE_TTL = Duration.standardMinutes(10);
  static final int DEFAULT_MAX_CONCURRENCY = 4;
  static final Duration DEFAULT_TIMEOUT = Duration.standardSeconds(5);
  static final int DEFAULT_MAX_RETRIES = 3;
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.millis(100);
  static final Duration MAX_BACKOFF = Duration.standardSeconds(10);

  abstract int batchSize();

  abstract Duration maxBatchWait();

  /** Entries kept per worker; 0 means no cache. */
  abstract long cacheSize();

  abstract Duration cacheTtl();

  abstract int maxConcurrency();

  abstract Duration timeout();

  abstract int maxRetries();

  abstract Duration initialBackoff();

  abstract Builder toBuilder();

  static LookupSettings defaults() {
    return new AutoValue_LookupSettings.Builder()
        .setBatchSize(DEFAULT_BATCH_SIZE)
        .setMaxBatchWait(DEFAULT_MAX_BATCH_WAIT)
        .setCacheSize(DEFAULT_CACHE_SIZE)
        .setCacheTtl(DEFAULT_CACHE_TTL)
        .setMaxConcurrency(DEFAULT_MAX_CONCURRENCY)
        .setTimeout(DEFAULT_TIMEOUT)
        .setMaxRetries(DEFAULT_MAX_RETRIES)
        .setInitialBackoff(DEFAULT_INITIAL_BACKOFF)
        .build();
  }

  boolean cached() {
    return cacheSize() > 0;
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

    abstract LookupSettings build();
  }
}
