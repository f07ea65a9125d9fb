package dev.streamfirst.transforms.enrich;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.DeadLetterCoder;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.time.Durations;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.Latest;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Joins each element with the reference record of its key. Three ways to get the reference data:
 *
 * <ul>
 *   <li><b>A table, read once</b> ({@link #fromTable}): the whole {@link ReferenceTable} (a file, a
 *       JDBC query) becomes a side input; each element is joined in memory.
 *   <li><b>A table, re-read</b> ({@link #refreshedEvery}): the same, re-read every period without
 *       restarting the pipeline (Beam's {@code PeriodicImpulse} side-input pattern). A change to
 *       the table is seen by elements processed after the next read, so within one period (plus the
 *       read itself). A failed re-read keeps the previous copy. On a bounded input the table is
 *       read once, since re-reading would keep a finished job alive.
 *   <li><b>External lookups</b> ({@link #fromLookup}): keys are looked up through a {@link
 *       LookupHandler}, with a per-worker cache (size bound and TTL, negative answers included),
 *       batches of distinct keys per call (size and time bound within a bundle), bounded
 *       concurrency, a timeout per call and retries with exponential backoff on transient failures.
 *       A batch that still fails sends its elements to the dead letters with the reason; the
 *       pipeline goes on.
 * </ul>
 *
 * <p>An element whose key has no record is passed on unenriched ({@link OnMiss#PASS_THROUGH}, the
 * default), dropped, or dead-lettered ({@link #withOnMiss}). Elements are {@link Event}s keyed by
 * {@link Event#key()} unless {@link #forElements} says otherwise. Metrics: {@code
 * enrich_cache_hits}, {@code enrich_cache_misses}, {@code enrich_lookups}, {@code enrich_retries},
 * {@code enrich_lookup_failures}, {@code enrich_not_found}, {@code enrich_batch_size}, {@code
 * enrich_lookup_latency_ms}, {@code enrich_table_reads}, {@code enrich_table_read_failures}.
 *
 * <pre>{@code
 * Enrich.Result<Event> result = events.apply("EnrichWithAccount",
 *     Enrich.fromLookup(accounts)
 *         .withBatchSize(200)
 *         .withCacheTtl(Duration.standardMinutes(5))
 *         .withOnMiss(OnMiss.DEAD_LETTER));
 * result.enriched();     // PCollection<Enriched<Event>>
 * result.deadLetters();  // PCollection<DeadLetter>, stage "enrich"
 *
 * events.apply("EnrichWithSites", Enrich.fromTable(sites).refreshedEvery(Duration.standardMinutes(10)));
 * }</pre>
 */
@AutoValue
public abstract class Enrich<T> extends PTransform<PCollection<T>, Enrich.Result<T>> {
  /** The dead-letter stage name of this transform. */
  public static final String STAGE = "enrich";

  private static final Coder<Map<String, String>> TABLE_CODER =
      MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());

  abstract SerializableFunction<T, String> keyFn();

  abstract SerializableFunction<T, String> payloadFn();

  abstract @Nullable ReferenceTable table();

  abstract @Nullable Duration refreshEvery();

  abstract @Nullable PCollection<?> refreshSignals();

  abstract @Nullable LookupHandler handler();

  abstract LookupSettings lookup();

  abstract OnMiss onMiss();

  abstract Builder<T> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setKeyFn(SerializableFunction<T, String> keyFn);

    abstract Builder<T> setPayloadFn(SerializableFunction<T, String> payloadFn);

    abstract Builder<T> setTable(@Nullable ReferenceTable table);

    abstract Builder<T> setRefreshEvery(@Nullable Duration every);

    abstract Builder<T> setRefreshSignals(@Nullable PCollection<?> signals);

    abstract Builder<T> setHandler(@Nullable LookupHandler handler);

    abstract Builder<T> setLookup(LookupSettings lookup);

    abstract Builder<T> setOnMiss(OnMiss onMiss);

    abstract Enrich<T> build();
  }

  /** Enriches {@link Event}s from a whole table held as a side input, read once. */
  public static Enrich<Event> fromTable(ReferenceTable table) {
    if (table == null) {
      throw new IllegalArgumentException("Enrich.fromTable() needs a reference table, got null");
    }
    return forEvents().setTable(table).build();
  }

  /** Enriches {@link Event}s by looking their keys up through {@code handler}. */
  public static Enrich<Event> fromLookup(LookupHandler handler) {
    if (handler == null) {
      throw new IllegalArgumentException("Enrich.fromLookup() needs a lookup handler, got null");
    }
    return forEvents().setHandler(handler).build();
  }

  private static Builder<Event> forEvents() {
    return new AutoValue_Enrich.Builder<Event>()
        .setKeyFn(Event::key)
        .setPayloadFn(Event::payload)
        .setLookup(LookupSettings.defaults())
        .setOnMiss(OnMiss.PASS_THROUGH);
  }

  /**
   * The same enrichment for elements of another type: {@code keyFn} gives an element's key, {@code
   * payloadFn} the text a dead letter keeps of it.
   */
  public <U> Enrich<U> forElements(
      SerializableFunction<U, String> keyFn, SerializableFunction<U, String> payloadFn) {
    if (keyFn == null || payloadFn == null) {
      throw new IllegalArgumentException(
          "forElements() needs a key function and a payload function, e.g."
              + " forElements(Row::key, Row::toJson)");
    }
    return new AutoValue_Enrich.Builder<U>()
        .setKeyFn(keyFn)
        .setPayloadFn(payloadFn)
        .setTable(table())
        .setRefreshEvery(refreshEvery())
        .setRefreshSignals(refreshSignals())
        .setHandler(handler())
        .setLookup(lookup())
        .setOnMiss(onMiss())
        .build();
  }

  /** Joins on the key that {@code keyFn} takes from an element (by default the event's key). */
  public Enrich<T> withKey(SerializableFunction<T, String> keyFn) {
    if (keyFn == null) {
      throw new IllegalArgumentException("withKey() needs a key function, got null");
    }
    return toBuilder().setKeyFn(keyFn).build();
  }

  /** What to do with an element whose key has no reference record. */
  public Enrich<T> withOnMiss(OnMiss onMiss) {
    if (onMiss == null) {
      throw new IllegalArgumentException(
          "withOnMiss() needs a policy: PASS_THROUGH, DROP or DEAD_LETTER, got null");
    }
    return toBuilder().setOnMiss(onMiss).build();
  }

  /** Re-reads the table every {@code period} (processing time) while the pipeline runs. */
  public Enrich<T> refreshedEvery(Duration period) {
    requireTable("refreshedEvery()");
    if (period == null || period.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "refreshedEvery() must be positive, got " + format(period));
    }
    return toBuilder().setRefreshEvery(period).setRefreshSignals(null).build();
  }

  /**
   * Re-reads the table each time {@code signals} (of the same pipeline) emits an element, e.g. a
   * message on a control topic; the table is also read once at the start.
   */
  public Enrich<T> refreshedOn(PCollection<?> signals) {
    requireTable("refreshedOn()");
    if (signals == null) {
      throw new IllegalArgumentException("refreshedOn() needs a PCollection of signals, got null");
    }
    return toBuilder().setRefreshSignals(signals).setRefreshEvery(null).build();
  }

  /** Most distinct keys in one lookup call; 1 makes one call per key. */
  public Enrich<T> withBatchSize(int size) {
    requireLookup("withBatchSize()");
    if (size < 1) {
      throw new IllegalArgumentException("withBatchSize() must be at least 1, got " + size);
    }
    return withLookup(lookup().toBuilder().setBatchSize(size).build());
  }

  /** Longest a key waits in an open batch for more keys before the batch is sent. */
  public Enrich<T> withMaxBatchWait(Duration wait) {
    requireLookup("withMaxBatchWait()");
    if (wait == null || wait.getMillis() < 0) {
      throw new IllegalArgumentException(
          "withMaxBatchWait() must be zero or positive, got " + format(wait));
    }
    return withLookup(lookup().toBuilder().setMaxBatchWait(wait).build());
  }

  /** Most keys the per-worker cache keeps (least recently used leave first). */
  public Enrich<T> withCacheSize(long entries) {
    requireLookup("withCacheSize()");
    if (entries < 1) {
      throw new IllegalArgumentException(
          "withCacheSize() must be at least 1, got "
              + entries
              + "; to turn caching off use"
              + " withoutCache()");
    }
    return withLookup(lookup().toBuilder().setCacheSize(entries).build());
  }

  /** How long a cached answer (a record, or that a key has none) is used after it was fetched. */
  public Enrich<T> withCacheTtl(Duration ttl) {
    requireLookup("withCacheTtl()");
    if (ttl == null || ttl.getMillis() <= 0) {
      throw new IllegalArgumentException("withCacheTtl() must be positive, got " + format(ttl));
    }
    return withLookup(lookup().toBuilder().setCacheTtl(ttl).build());
  }

  /** Looks every element's key up, caching nothing. */
  public Enrich<T> withoutCache() {
    requireLookup("withoutCache()");
    return withLookup(lookup().toBuilder().setCacheSize(0).build());
  }

  /** Most lookup calls in progress at once per worker. */
  public Enrich<T> withMaxConcurrency(int calls) {
    requireLookup("withMaxConcurrency()");
    if (calls < 1) {
      throw new IllegalArgumentException("withMaxConcurrency() must be at least 1, got " + calls);
    }
    return withLookup(lookup().toBuilder().setMaxConcurrency(calls).build());
  }

  /** Longest one call may take; a call that takes longer is abandoned and counts as transient. */
  public Enrich<T> withTimeout(Duration timeout) {
    requireLookup("withTimeout()");
    if (timeout == null || timeout.getMillis() <= 0) {
      throw new IllegalArgumentException("withTimeout() must be positive, got " + format(timeout));
    }
    return withLookup(lookup().toBuilder().setTimeout(timeout).build());
  }

  /** How often a call that failed transiently is repeated; 0 never repeats it. */
  public Enrich<T> withMaxRetries(int retries) {
    requireLookup("withMaxRetries()");
    if (retries < 0) {
      throw new IllegalArgumentException("withMaxRetries() must be 0 or more, got " + retries);
    }
    return withLookup(lookup().toBuilder().setMaxRetries(retries).build());
  }

  /** The wait before the first retry; later waits grow exponentially, with jitter, up to 10s. */
  public Enrich<T> withInitialBackoff(Duration backoff) {
    requireLookup("withInitialBackoff()");
    if (backoff == null || backoff.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "withInitialBackoff() must be positive, got " + format(backoff));
    }
    return withLookup(lookup().toBuilder().setInitialBackoff(backoff).build());
  }

  @Override
  public Result<T> expand(PCollection<T> input) {
    // Named tags, not anonymous subclasses: those would capture this transform into the DoFns.
    TupleTag<Enriched<T>> enrichedTag = new TupleTag<>("enriched");
    TupleTag<DeadLetter> deadLetterTag = new TupleTag<>("deadLetters");
    Routing<T> routing = new Routing<>(payloadFn(), onMiss());
    PCollectionTuple outputs;
    if (handler() != null) {
      // A fresh id per application: two applications of one configured transform must not share
      // a cache or threads, whatever their settings.
      String transformId = UUID.randomUUID().toString();
      outputs =
          input.apply(
              "LookupReference",
              ParDo.of(
                      new LookupFn<>(
                          handler(),
                          lookup(),
                          transformId,
                          keyFn(),
                          routing,
                          enrichedTag,
                          deadLetterTag))
                  .withOutputTags(enrichedTag, TupleTagList.of(deadLetterTag)));
    } else {
      PCollectionView<Map<String, String>> reference =
          input.getPipeline().apply("ReadReference", new ReadReference(input.isBounded()));
      outputs =
          input.apply(
              "JoinReference",
              ParDo.of(
                      new JoinReferenceFn<>(
                          reference, keyFn(), routing, enrichedTag, deadLetterTag))
                  .withSideInputs(reference)
                  .withOutputTags(enrichedTag, TupleTagList.of(deadLetterTag)));
    }
    return new Result<>(
        input.getPipeline(),
        enrichedTag,
        outputs.get(enrichedTag).setCoder(EnrichedCoder.of(input.getCoder())),
        deadLetterTag,
        outputs.get(deadLetterTag).setCoder(DeadLetterCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("onMiss", onMiss().name()).withLabel("Key without reference"));
    if (handler() != null) {
      LookupSettings s = lookup();
      builder
          .add(DisplayData.item("reference", handler().toString()).withLabel("Lookup handler"))
          .add(DisplayData.item("batchSize", s.batchSize()).withLabel("Keys per lookup call"))
          .add(
              DisplayData.item("maxBatchWait", Durations.format(s.maxBatchWait()))
                  .withLabel("Longest wait for a batch to fill"))
          .add(DisplayData.item("cacheSize", s.cacheSize()).withLabel("Cache entries per worker"))
          .add(
              DisplayData.item("cacheTtl", Durations.format(s.cacheTtl()))
                  .withLabel("Cached answers kept for"))
          .add(
              DisplayData.item("maxConcurrency", s.maxConcurrency())
                  .withLabel("Concurrent calls per worker"))
          .add(
              DisplayData.item("timeout", Durations.format(s.timeout()))
                  .withLabel("Timeout per call"))
          .add(DisplayData.item("maxRetries", s.maxRetries()).withLabel("Retries per call"))
          .add(
              DisplayData.item("initialBackoff", Durations.format(s.initialBackoff()))
                  .withLabel("First retry after"));
    } else {
      builder.add(DisplayData.item("reference", table().toString()).withLabel("Reference table"));
      if (refreshEvery() != null) {
        builder.add(
            DisplayData.item("refreshEvery", Durations.format(refreshEvery()))
                .withLabel("Table re-read every"));
      }
      if (refreshSignals() != null) {
        builder.add(
            DisplayData.item("refreshOn", refreshSignals().getName())
                .withLabel("Table re-read on each element of"));
      }
    }
  }

  private Enrich<T> withLookup(LookupSettings settings) {
    return toBuilder().setLookup(settings).build();
  }

  private void requireLookup(String method) {
    if (handler() == null) {
      throw new IllegalArgumentException(
          method
              + " applies to lookups (Enrich.fromLookup(handler)), not to a table held as a side"
              + " input (Enrich.fromTable)");
    }
  }

  private void requireTable(String method) {
    if (table() == null) {
      throw new IllegalArgumentException(
          method
              + " applies to tables (Enrich.fromTable(table)); a lookup sees changes once its"
              + " cached answers expire: set withCacheTtl()");
    }
  }

  private static String format(@Nullable Duration d) {
    return d == null ? "null" : Durations.format(d);
  }

  /** The reference table as a side input: one map of every key, the latest copy read. */
  private final class ReadReference
      extends PTransform<PBegin, PCollectionView<Map<String, String>>> {
    private final PCollection.IsBounded mainInput;

    ReadReference(PCollection.IsBounded mainInput) {
      this.mainInput = mainInput;
    }

    @Override
    public PCollectionView<Map<String, String>> expand(PBegin begin) {
      Pipeline pipeline = begin.getPipeline();
      boolean refreshing =
          refreshSignals() != null
              || (refreshEvery() != null && mainInput == PCollection.IsBounded.UNBOUNDED);
      if (!refreshing) {
        return pipeline
            .apply("Start", Impulse.create())
            .apply("ReadTable", ParDo.of(new ReadTableFn<>(table(), true)))
            .setCoder(TABLE_CODER)
            .apply("AsSideInput", View.asSingleton());
      }
      PCollection<?> ticks =
          refreshSignals() != null
              ? refreshSignals()
              : pipeline.apply(
                  "RefreshTicks", PeriodicImpulse.create().withInterval(refreshEvery()));
      PCollection<Map<String, String>> reads =
          ticks
              .apply("ReadTable", ParDo.of(new ReadTableFn<>(table(), false)))
              .setCoder(TABLE_CODER);
      if (refreshSignals() != null) {
        // Signals may come long after the start; the elements must not wait for the first one.
        PCollection<Map<String, String>> first =
            pipeline
                .apply("Start", Impulse.create())
                .apply("ReadTableAtStart", ParDo.of(new ReadTableFn<>(table(), true)))
                .setCoder(TABLE_CODER);
        reads = PCollectionList.of(first).and(reads).apply("AllReads", Flatten.pCollections());
      }
      return reads
          .apply(
              "EachRead",
              Window.<Map<String, String>>into(new GlobalWindows())
                  .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                  // Accumulating: each firing is the latest of all reads so far by refresh time,
                  // so a slower read of an earlier refresh, finishing after a later one, does
                  // not replace the newer copy. Latest keeps one copy, so this holds no more.
                  .accumulatingFiredPanes()
                  .withAllowedLateness(Duration.ZERO)
                  // An empty final pane would make the latest copy null.
                  .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY))
          .apply("WithReadTime", Reify.timestamps())
          .apply(
              "LatestRead",
              Combine.globally(Latest.<Map<String, String>>combineFn()).withoutDefaults())
          .setCoder(TABLE_CODER)
          // The view holds the last pane only: each firing above is already the whole answer.
          .apply(
              "LatestCopy",
              Window.<Map<String, String>>into(new GlobalWindows())
                  .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                  .discardingFiredPanes()
                  .withAllowedLateness(Duration.ZERO))
          .apply("AsSideInput", View.asSingleton());
    }
  }

  /** The two outputs of {@link Enrich}. */
  public static final class Result<T> implements POutput {
    private final Pipeline pipeline;
    private final TupleTag<Enriched<T>> enrichedTag;
    private final PCollection<Enriched<T>> enriched;
    private final TupleTag<DeadLetter> deadLetterTag;
    private final PCollection<DeadLetter> deadLetters;

    Result(
        Pipeline pipeline,
        TupleTag<Enriched<T>> enrichedTag,
        PCollection<Enriched<T>> enriched,
        TupleTag<DeadLetter> deadLetterTag,
        PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.enrichedTag = enrichedTag;
      this.enriched = enriched;
      this.deadLetterTag = deadLetterTag;
      this.deadLetters = deadLetters;
    }

    /** Elements with their reference record (or without one, under {@link OnMiss#PASS_THROUGH}). */
    public PCollection<Enriched<T>> enriched() {
      return enriched;
    }

    /** Elements that could not be enriched, with the reason; stage {@value Enrich#STAGE}. */
    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(enrichedTag, enriched, deadLetterTag, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
