package dev.streamfirst.transforms.enrich;

import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.DeadLetterCoder;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Joins each element with the reference record of its key. Three ways to get the reference data:
 *
 * <ul>
 *   <li><b>A table, read once</b> ({@link #fromTable}, an {@link EnrichFromTable}): the whole
 *       {@link ReferenceTable} (a file, a JDBC query) becomes a side input; each element is joined
 *       in memory.
 *   <li><b>A table, re-read</b> ({@link EnrichFromTable#refreshedEvery}): the same, re-read every
 *       period without restarting the pipeline (Beam's {@code PeriodicImpulse} side-input pattern).
 *       A change to the table is seen by elements processed after the next read, so within one
 *       period (plus the read itself). A failed re-read keeps the previous copy. On a bounded input
 *       the table is read once, since re-reading would keep a finished job alive.
 *   <li><b>External lookups</b> ({@link #fromLookup}, an {@link EnrichFromLookup}): keys are looked
 *       up through a {@link LookupHandler}, with a per-worker cache (size bound and TTL, negative
 *       answers included), batches of distinct keys per call (size and time bound within a bundle),
 *       bounded concurrency, a timeout per call and retries with exponential backoff on transient
 *       failures. A batch that still fails sends its elements to the dead letters with the reason;
 *       the pipeline goes on.
 * </ul>
 *
 * <p>An element whose key has no record is passed on unenriched ({@link OnMiss#PASS_THROUGH}, the
 * default), dropped, or dead-lettered ({@link #withOnMiss}). Table and lookup settings belong to
 * their own kind, so a lookup setting on a table does not compile. Elements are {@link Event}s
 * keyed by {@link Event#key()} unless {@link #forElements} says otherwise. Metrics: {@code
 * enrich_cache_hits}, {@code enrich_cache_misses}, {@code enrich_lookups}, {@code enrich_retries},
 * {@code enrich_lookup_failures}, {@code enrich_not_found}, {@code enrich_batch_size}, {@code
 * enrich_lookup_latency_ms}, {@code enrich_table_reads}, {@code enrich_table_read_failures}.
 *
 * <pre>{@code
 * Result<Enriched<Event>> result = events.apply("EnrichWithAccount",
 *     Enrich.fromLookup(accounts)
 *         .withBatchSize(200)
 *         .withCacheTtl(Duration.standardMinutes(5))
 *         .withOnMiss(OnMiss.DEAD_LETTER));
 * result.output();       // PCollection<Enriched<Event>>
 * result.deadLetters();  // PCollection<DeadLetter>, stage "enrich"
 *
 * events.apply("EnrichWithSites", Enrich.fromTable(sites).refreshedEvery(Duration.standardMinutes(10)));
 * }</pre>
 */
public abstract class Enrich<T> extends PTransform<PCollection<T>, Result<Enriched<T>>> {
  /** The dead-letter stage name of this transform. */
  public static final String STAGE = "enrich";

  // Named tags, not anonymous subclasses: those would capture the transform into the DoFns.
  static final String ENRICHED = "enriched";
  static final String DEAD_LETTERS = "deadLetters";

  Enrich() {}

  /** Enriches {@link Event}s from a whole table held as a side input, read once. */
  public static EnrichFromTable<Event> fromTable(ReferenceTable table) {
    if (table == null) {
      throw new IllegalArgumentException("Enrich.fromTable() needs a reference table, got null");
    }
    return EnrichFromTable.of(table, Join.forEvents());
  }

  /** Enriches {@link Event}s by looking their keys up through {@code handler}. */
  public static EnrichFromLookup<Event> fromLookup(LookupHandler handler) {
    if (handler == null) {
      throw new IllegalArgumentException("Enrich.fromLookup() needs a lookup handler, got null");
    }
    return EnrichFromLookup.of(handler, Join.forEvents());
  }

  abstract Join<T> join();

  /** Joins on the key that {@code keyFn} takes from an element (by default the event's key). */
  public abstract Enrich<T> withKey(SerializableFunction<T, String> keyFn);

  /** What to do with an element whose key has no reference record. */
  public abstract Enrich<T> withOnMiss(OnMiss onMiss);

  /**
   * The same enrichment for elements of another type: {@code keyFn} gives an element's key, {@code
   * payloadFn} the text a dead letter keeps of it.
   */
  public abstract <U> Enrich<U> forElements(
      SerializableFunction<U, String> keyFn, SerializableFunction<U, String> payloadFn);

  /** The enriched elements and dead letters of a join's two outputs. */
  static <T> Result<Enriched<T>> result(PCollection<T> input, PCollectionTuple outputs) {
    return Result.of(
        outputs
            .get(new TupleTag<Enriched<T>>(ENRICHED))
            .setCoder(EnrichedCoder.of(input.getCoder())),
        outputs.get(new TupleTag<DeadLetter>(DEAD_LETTERS)).setCoder(DeadLetterCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(
        DisplayData.item("onMiss", join().onMiss().name()).withLabel("Key without reference"));
  }

  static String format(@Nullable Duration d) {
    return d == null ? "null" : Durations.format(d);
  }
}
