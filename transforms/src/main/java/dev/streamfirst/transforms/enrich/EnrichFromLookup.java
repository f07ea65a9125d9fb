package dev.streamfirst.transforms.enrich;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import java.util.UUID;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * {@link Enrich} by looking keys up through a {@link LookupHandler}, with a per-worker cache (size
 * bound and TTL, negative answers included), batches of distinct keys per call (size and time bound
 * within a bundle), bounded concurrency, a timeout per call and retries with exponential backoff on
 * transient failures ({@link LookupSettings}). A batch that still fails sends its elements to the
 * dead letters with the reason; the pipeline goes on. Made by {@link Enrich#fromLookup}.
 *
 * <pre>{@code
 * events.apply("EnrichWithAccount",
 *     Enrich.fromLookup(accounts).withBatchSize(200).withCacheTtl(Duration.standardMinutes(5)));
 * }</pre>
 */
@AutoValue
public abstract class EnrichFromLookup<T> extends Enrich<T> {
  abstract LookupHandler handler();

  /** How calls are cached, batched, bounded, timed out and retried. */
  public abstract LookupSettings settings();

  abstract Builder<T> toBuilder();

  static <T> EnrichFromLookup<T> of(LookupHandler handler, Join<T> join) {
    return new AutoValue_EnrichFromLookup.Builder<T>()
        .setHandler(handler)
        .setJoin(join)
        .setSettings(LookupSettings.defaults())
        .build();
  }

  @Override
  public EnrichFromLookup<T> withKey(SerializableFunction<T, String> keyFn) {
    return toBuilder().setJoin(join().withKey(keyFn)).build();
  }

  @Override
  public EnrichFromLookup<T> withOnMiss(OnMiss onMiss) {
    return toBuilder().setJoin(join().withOnMiss(onMiss)).build();
  }

  @Override
  public <U> EnrichFromLookup<U> forElements(
      SerializableFunction<U, String> keyFn, SerializableFunction<U, String> payloadFn) {
    return new AutoValue_EnrichFromLookup.Builder<U>()
        .setJoin(join().forElements(keyFn, payloadFn))
        .setHandler(handler())
        .setSettings(settings())
        .build();
  }

  /** All lookup settings at once, e.g. as a pipeline's options describe them. */
  public EnrichFromLookup<T> withSettings(LookupSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException(
          "withSettings() needs settings, e.g. LookupSettings.defaults(), got null");
    }
    return toBuilder().setSettings(settings).build();
  }

  /** See {@link LookupSettings#withBatchSize}. */
  public EnrichFromLookup<T> withBatchSize(int size) {
    return withSettings(settings().withBatchSize(size));
  }

  /** See {@link LookupSettings#withMaxBatchWait}. */
  public EnrichFromLookup<T> withMaxBatchWait(Duration wait) {
    return withSettings(settings().withMaxBatchWait(wait));
  }

  /** See {@link LookupSettings#withCacheSize}. */
  public EnrichFromLookup<T> withCacheSize(long entries) {
    return withSettings(settings().withCacheSize(entries));
  }

  /** See {@link LookupSettings#withCacheTtl}. */
  public EnrichFromLookup<T> withCacheTtl(Duration ttl) {
    return withSettings(settings().withCacheTtl(ttl));
  }

  /** See {@link LookupSettings#withOnOutage}. */
  public EnrichFromLookup<T> withOnOutage(OnOutage onOutage) {
    return withSettings(settings().withOnOutage(onOutage));
  }

  /** See {@link LookupSettings#withoutCache}. */
  public EnrichFromLookup<T> withoutCache() {
    return withSettings(settings().withoutCache());
  }

  /** See {@link LookupSettings#withMaxConcurrency}. */
  public EnrichFromLookup<T> withMaxConcurrency(int calls) {
    return withSettings(settings().withMaxConcurrency(calls));
  }

  /** See {@link LookupSettings#withTimeout}. */
  public EnrichFromLookup<T> withTimeout(Duration timeout) {
    return withSettings(settings().withTimeout(timeout));
  }

  /** See {@link LookupSettings#withMaxRetries}. */
  public EnrichFromLookup<T> withMaxRetries(int retries) {
    return withSettings(settings().withMaxRetries(retries));
  }

  /** See {@link LookupSettings#withInitialBackoff}. */
  public EnrichFromLookup<T> withInitialBackoff(Duration backoff) {
    return withSettings(settings().withInitialBackoff(backoff));
  }

  @Override
  public Result<Enriched<T>> expand(PCollection<T> input) {
    TupleTag<Enriched<T>> enriched = new TupleTag<>(ENRICHED);
    TupleTag<DeadLetter> deadLetters = new TupleTag<>(DEAD_LETTERS);
    // A fresh id per application: two applications of one configured transform must not share
    // a cache or threads, whatever their settings.
    String transformId = UUID.randomUUID().toString();
    return result(
        input,
        input.apply(
            "LookupReference",
            ParDo.of(
                    new LookupFn<>(
                        handler(),
                        settings(),
                        transformId,
                        join().keyFn(),
                        join().routing(),
                        enriched,
                        deadLetters))
                .withOutputTags(enriched, TupleTagList.of(deadLetters))));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    LookupSettings s = settings();
    builder
        .add(DisplayData.item("reference", handler().toString()).withLabel("Lookup handler"))
        .add(DisplayData.item("batchSize", s.batchSize()).withLabel("Keys per lookup call"))
        .add(
            DisplayData.item("maxBatchWait", format(s.maxBatchWait()))
                .withLabel("Longest wait for a batch to fill"))
        .add(DisplayData.item("cacheSize", s.cacheSize()).withLabel("Cache entries per worker"))
        .add(
            DisplayData.item("cacheTtl", format(s.cacheTtl())).withLabel("Cached answers kept for"))
        .add(
            DisplayData.item("maxConcurrency", s.maxConcurrency())
                .withLabel("Concurrent calls per worker"))
        .add(DisplayData.item("timeout", format(s.timeout())).withLabel("Timeout per call"))
        .add(DisplayData.item("maxRetries", s.maxRetries()).withLabel("Retries per call"))
        .add(
            DisplayData.item("onOutage", s.onOutage().name())
                .withLabel("When the service keeps failing"))
        .add(
            DisplayData.item("initialBackoff", format(s.initialBackoff()))
                .withLabel("First retry after"));
  }

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setJoin(Join<T> join);

    abstract Builder<T> setHandler(LookupHandler handler);

    abstract Builder<T> setSettings(LookupSettings settings);

    abstract EnrichFromLookup<T> build();
  }
}
