package dev.streamfirst.transforms.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Enriches elements through a {@link LookupHandler}: cache first, then batched calls.
 *
 * <p>A cache hit leaves at once. A miss joins the bundle's open batch; a batch is sent when it
 * holds {@code batchSize} distinct keys, when its first key has waited {@code maxBatchWait}, or
 * when the bundle ends. Batches run on the worker's shared threads, at most {@code maxConcurrency}
 * at once, while this thread goes on reading elements; a key already on its way in this bundle is
 * not asked for twice. The elements of sent batches leave when the bundle finishes, each in its own
 * window with its own timestamp, so latency is bounded by the runner's bundle size.
 *
 * <p>Metrics are updated on the bundle thread only: Beam's metric containers are per thread, so
 * counts made on the call threads would be lost.
 */
final class LookupFn<T> extends DoFn<T, Enriched<T>> {
  private final LookupHandler handler;
  private final LookupSettings settings;
  private final String transformId;
  private final SerializableFunction<T, String> keyFn;
  private final Routing<T> routing;
  private final TupleTag<Enriched<T>> enrichedTag;
  private final TupleTag<DeadLetter> deadLetterTag;

  private final Counter hits = StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_CACHE_HITS);
  private final Counter misses = StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_CACHE_MISSES);
  private final Counter lookups = StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_LOOKUPS);
  private final Counter retries = StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_RETRIES);
  private final Counter failures =
      StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_LOOKUP_FAILURES);
  private final Distribution batchSizes =
      StreamfirstMetrics.distribution(StreamfirstMetrics.ENRICH_BATCH_SIZE);
  private final Distribution latency =
      StreamfirstMetrics.distribution(StreamfirstMetrics.ENRICH_LOOKUP_LATENCY_MS);
  private final Gauge latestLatency =
      StreamfirstMetrics.latest(StreamfirstMetrics.ENRICH_LOOKUP_LATENCY_MS);

  private transient @Nullable Cache<String, Optional<String>> cache;
  private transient WorkerResources shared;
  private transient RetryingLookup lookup;

  private transient @Nullable Batch<T> open;
  private transient Map<String, Batch<T>> batchOfKey;
  private transient Deque<Batch<T>> sent;

  /** Sent batches that may still be running, oldest first; never more than maxConcurrency. */
  private transient Deque<Batch<T>> running;

  LookupFn(
      LookupHandler handler,
      LookupSettings settings,
      String transformId,
      SerializableFunction<T, String> keyFn,
      Routing<T> routing,
      TupleTag<Enriched<T>> enrichedTag,
      TupleTag<DeadLetter> deadLetterTag) {
    this.handler = handler;
    this.settings = settings;
    this.transformId = transformId;
    this.keyFn = keyFn;
    this.routing = routing;
    this.enrichedTag = enrichedTag;
    this.deadLetterTag = deadLetterTag;
  }

  @Setup
  public void setup() throws Exception {
    handler.setup();
    shared = WorkerResources.forTransform(transformId, settings);
    cache = shared.cache();
    lookup = new RetryingLookup(handler, settings, shared.calls());
  }

  @StartBundle
  public void startBundle() {
    open = null;
    batchOfKey = new HashMap<>();
    sent = new ArrayDeque<>();
    running = new ArrayDeque<>();
  }

  @ProcessElement
  public void process(
      @Element T element,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      MultiOutputReceiver receiver) {
    String key = keyFn.apply(element);
    if (key == null) {
      routing.fail(element, "the key function gave no key", outputsOf(receiver));
      return;
    }
    if (cache != null) {
      Optional<String> cached = cache.getIfPresent(key);
      if (cached != null) {
        hits.inc();
        routing.found(element, key, cached.orElse(null), outputsOf(receiver));
        return;
      }
      misses.inc();
    }
    Batch<T> batch = batchOfKey.get(key);
    if (batch == null) {
      if (open == null) {
        open = new Batch<>(System.nanoTime());
      }
      batch = open;
      batch.keys.add(key);
      batchOfKey.put(key, batch);
    }
    batch.waiting.add(new Waiting<>(element, key, timestamp, window));
    if (open != null
        && (open.keys.size() >= settings.batchSize()
            || System.nanoTime() - open.openedNanos
                >= settings.maxBatchWait().getMillis() * 1_000_000L)) {
      send();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (open != null) {
      send();
    }
    for (Batch<T> batch : sent) {
      RetryingLookup.Outcome outcome = await(batch);
      record(batch, outcome);
      if (outcome.outage() && settings.onOutage() == OnOutage.FAIL) {
        // The runner retries the bundle (Flink restarts from its last checkpoint): nothing is lost.
        throw new IllegalStateException(
            handler + " is unavailable (onOutage=FAIL): " + outcome.error());
      }
      for (Waiting<T> waiting : batch.waiting) {
        Routing.Outputs<T> out = outputsAt(context, waiting);
        if (outcome.succeeded()) {
          routing.found(waiting.element(), waiting.key(), outcome.found().get(waiting.key()), out);
        } else {
          routing.fail(waiting.element(), "key '" + waiting.key() + "': " + outcome.error(), out);
        }
      }
    }
    sent.clear();
    running.clear();
    batchOfKey.clear();
  }

  @Teardown
  public void teardown() throws Exception {
    handler.teardown();
  }

  private void send() {
    Batch<T> batch = open;
    open = null;
    // Back-pressure: this thread never has more batches unfinished than can run at once.
    running.removeIf(earlier -> earlier.result.isDone());
    while (running.size() >= settings.maxConcurrency()) {
      await(running.removeFirst());
      running.removeIf(earlier -> earlier.result.isDone());
    }
    List<String> keys = List.copyOf(batch.keys);
    batch.result = shared.batches().submit(() -> callAndCache(keys));
    sent.add(batch);
    running.add(batch);
  }

  private RetryingLookup.Outcome callAndCache(List<String> keys) {
    RetryingLookup.Outcome outcome = lookup.call(keys);
    // Filled on the call thread, so other bundles and DoFn instances see the answer at once.
    if (cache != null && outcome.succeeded()) {
      for (String key : keys) {
        cache.put(key, Optional.ofNullable(outcome.found().get(key)));
      }
    }
    return outcome;
  }

  private void record(Batch<T> batch, RetryingLookup.Outcome outcome) {
    lookups.inc(outcome.attempts());
    retries.inc(outcome.attempts() - 1);
    batchSizes.update(batch.keys.size());
    if (outcome.succeeded()) {
      latency.update(outcome.millis());
      latestLatency.set(outcome.millis());
    } else {
      failures.inc();
    }
  }

  private static <T> RetryingLookup.Outcome await(Batch<T> batch) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return batch.result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return RetryingLookup.Outcome.failure("lookup failed: " + e.getCause(), false, 1, 0);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Routing.Outputs<T> outputsOf(MultiOutputReceiver receiver) {
    return new Routing.Outputs<T>() {
      @Override
      public void enriched(Enriched<T> value) {
        receiver.get(enrichedTag).output(value);
      }

      @Override
      public void deadLetter(DeadLetter letter) {
        receiver.get(deadLetterTag).output(letter);
      }
    };
  }

  private Routing.Outputs<T> outputsAt(FinishBundleContext context, Waiting<T> waiting) {
    return new Routing.Outputs<T>() {
      @Override
      public void enriched(Enriched<T> value) {
        context.output(enrichedTag, value, waiting.timestamp(), waiting.window());
      }

      @Override
      public void deadLetter(DeadLetter letter) {
        context.output(deadLetterTag, letter, waiting.timestamp(), waiting.window());
      }
    };
  }

  /** Distinct keys sent in one call, and the elements waiting for them. */
  private static final class Batch<T> {
    final long openedNanos;
    final List<String> keys = new ArrayList<>();
    final List<Waiting<T>> waiting = new ArrayList<>();
    Future<RetryingLookup.Outcome> result;

    Batch(long openedNanos) {
      this.openedNanos = openedNanos;
    }
  }

  /** An element waiting for its key's record, with where it must be output. */
  private record Waiting<T>(T element, String key, Instant timestamp, BoundedWindow window) {}
}
