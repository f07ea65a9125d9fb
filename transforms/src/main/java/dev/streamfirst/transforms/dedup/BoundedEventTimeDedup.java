package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * Event-time dedup of a bounded input: the same decisions as {@link EventTimeDedupFn}, which on a
 * bounded input holds everything until the end anyway, made in one pass per id after a {@link
 * GroupByKey}. Runners group much more cheaply than they keep per-element state: the DirectRunner
 * copies a key's state for every bundle and translates a stateful step anew for each, which made
 * dedup cost more than all the rest of the rollup.
 *
 * <p>Grouping by id, not by a shard of ids, keeps what one worker holds at once to the copies of
 * one id, whatever the size of the input: a backfill of billions of events spreads over as many
 * workers as the runner has, and no group outgrows a worker's memory.
 *
 * <p>The group's timestamp is its earliest element's ({@link TimestampCombiner#EARLIEST}), so the
 * watermark downstream stays behind every element let through, which then is never late.
 */
final class BoundedEventTimeDedup<T>
    extends PTransform<PCollection<KV<String, TimestampedValue<T>>>, PCollection<T>> {
  /** How many elements one decision held at once: the copies of one id. */
  static final String COPIES_PER_DECISION = "dedup_copies_per_decision";

  private final Coder<T> coder;
  private final long ttl;

  BoundedEventTimeDedup(Coder<T> coder, long ttl) {
    this.coder = coder;
    this.ttl = ttl;
  }

  @Override
  public PCollection<T> expand(PCollection<KV<String, TimestampedValue<T>>> byId) {
    return byId.apply(
            "HoldAtEarliest",
            Window.<KV<String, TimestampedValue<T>>>configure()
                .withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("GroupCopies", GroupByKey.create())
        .apply("InEventTimeOrder", ParDo.of(new DedupCopiesFn<>(coder, ttl)))
        .setCoder(coder);
  }

  private static final class DedupCopiesFn<T>
      extends DoFn<KV<String, Iterable<TimestampedValue<T>>>, T> {
    private final Coder<T> coder;
    private final long ttl;
    private final Counter dropped =
        StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);
    private final Distribution copies =
        Metrics.distribution(BoundedEventTimeDedup.class, COPIES_PER_DECISION);

    DedupCopiesFn(Coder<T> coder, long ttl) {
      this.coder = coder;
      this.ttl = ttl;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<TimestampedValue<T>>> id, OutputReceiver<T> out) {
      List<TimestampedValue<T>> candidates = new ArrayList<>();
      id.getValue().forEach(candidates::add);
      copies.update(candidates.size());
      if (candidates.size() > 1) {
        candidates.sort(EventTimeOrder.of(coder));
      }
      Long passed = null;
      for (TimestampedValue<T> candidate : candidates) {
        long ts = candidate.getTimestamp().getMillis();
        if (passed != null && Math.abs(ts - passed) < ttl) {
          dropped.inc();
        } else {
          passed = passed == null ? ts : Math.max(passed, ts);
          out.outputWithTimestamp(candidate.getValue(), candidate.getTimestamp());
        }
      }
    }
  }
}
