package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * Event-time dedup of a bounded input: the same decisions as {@link EventTimeDedupFn}, which on a
 * bounded input holds everything until the end anyway, made in one pass per shard of ids after a
 * {@link GroupByKey}. Runners group much more cheaply than they keep per-element state: the
 * DirectRunner copies a key's state for every bundle and translates a stateful step anew for each,
 * which made dedup cost more than all the rest of the rollup.
 *
 * <p>The input comes keyed by group of ids, at least {@link Dedup#BOUNDED_SHARDS} of them (so a
 * backfill spreads over that many workers) and as many more as keep each near {@link
 * Dedup#withBoundedGroupSize} elements, so the list one decision sorts does not grow with the
 * input. Grouping by id would bound it by one id's copies, but the DirectRunner pays about 2 ms for
 * every group (a bundle each): 40 s more for the demo's 20,000 ids.
 *
 * <p>The group's timestamp is its earliest element's ({@link TimestampCombiner#EARLIEST}), so the
 * watermark downstream stays behind every element let through, which then is never late.
 */
final class BoundedEventTimeDedup<T>
    extends PTransform<PCollection<KV<Integer, TimestampedValue<T>>>, PCollection<T>> {
  /** How many elements one decision held at once. */
  static final String ELEMENTS_PER_DECISION = "dedup_elements_per_decision";

  private final SerializableFunction<T, String> idFn;
  private final Coder<T> coder;
  private final long ttl;

  BoundedEventTimeDedup(SerializableFunction<T, String> idFn, Coder<T> coder, long ttl) {
    this.idFn = idFn;
    this.coder = coder;
    this.ttl = ttl;
  }

  @Override
  public PCollection<T> expand(PCollection<KV<Integer, TimestampedValue<T>>> sharded) {
    return sharded
        .apply(
            "HoldAtEarliest",
            Window.<KV<Integer, TimestampedValue<T>>>configure()
                .withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("GroupShards", GroupByKey.create())
        .apply("InEventTimeOrder", ParDo.of(new DedupShardFn<>(idFn, coder, ttl)))
        .setCoder(coder);
  }

  private static final class DedupShardFn<T>
      extends DoFn<KV<Integer, Iterable<TimestampedValue<T>>>, T> {
    private final SerializableFunction<T, String> idFn;
    private final Coder<T> coder;
    private final long ttl;
    private final Counter dropped =
        StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);
    private final Distribution held =
        Metrics.distribution(BoundedEventTimeDedup.class, ELEMENTS_PER_DECISION);

    DedupShardFn(SerializableFunction<T, String> idFn, Coder<T> coder, long ttl) {
      this.idFn = idFn;
      this.coder = coder;
      this.ttl = ttl;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<TimestampedValue<T>>> shard, OutputReceiver<T> out) {
      List<TimestampedValue<T>> ready = new ArrayList<>();
      shard.getValue().forEach(ready::add);
      held.update(ready.size());
      ready.sort(EventTimeOrder.of(coder));
      Map<String, Long> seen = new HashMap<>();
      for (TimestampedValue<T> candidate : ready) {
        String id = idFn.apply(candidate.getValue());
        long ts = candidate.getTimestamp().getMillis();
        Long passed = seen.get(id);
        if (passed != null && Math.abs(ts - passed) < ttl) {
          dropped.inc();
        } else {
          seen.put(id, passed == null ? ts : Math.max(passed, ts));
          out.outputWithTimestamp(candidate.getValue(), candidate.getTimestamp());
        }
      }
    }
  }
}
