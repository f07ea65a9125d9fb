package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TimestampedValue.TimestampedValueCoder;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time dedup of one shard of ids.
 *
 * <p>A copy of an id that has already passed, within the TTL, is dropped on arrival. Other elements
 * wait in buckets of {@code releaseInterval} of event time. When the watermark passes a bucket's
 * end, one timer releases every waiting element up to there, sorted by event time, and each is
 * checked against the ids that passed before it. Buckets are addressed by key ({@code
 * bucketEnd/sequence}), so adding and releasing cost O(1) per element on every state backend. A
 * second timer sweeps expired ids, at most every half TTL.
 */
final class EventTimeDedupFn<T> extends DoFn<KV<Integer, T>, T> {
  private static final Instant MAX_TARGET = GlobalWindow.INSTANCE.maxTimestamp();

  private final SerializableFunction<T, String> idFn;
  private final Coder<T> coder;
  private final long ttl;
  private final long interval;
  private final long sweepInterval;
  private final boolean boundedInput;
  private final Counter dropped = StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);

  /** Bucket end (millis) → how many elements wait in it. */
  @StateId("buckets")
  private final StateSpec<MapState<Long, Integer>> bucketsSpec =
      StateSpecs.map(VarLongCoder.of(), VarIntCoder.of());

  /** {@code bucketEnd/sequence} → a waiting element with its event time. */
  @StateId("waiting")
  private final StateSpec<MapState<String, TimestampedValue<T>>> waitingSpec;

  /** Id → event time (millis) of the latest element of that id that passed. */
  @StateId("seen")
  private final StateSpec<MapState<String, Long>> seenSpec =
      StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

  @StateId("releaseAt")
  private final StateSpec<ValueState<Long>> releaseAtSpec = StateSpecs.value(VarLongCoder.of());

  /** The watermark hold of the release timer: never after the earliest waiting element. */
  @StateId("holdAt")
  private final StateSpec<ValueState<Long>> holdAtSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("sweepAt")
  private final StateSpec<ValueState<Long>> sweepAtSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("sweep")
  private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  EventTimeDedupFn(
      SerializableFunction<T, String> idFn,
      Coder<T> coder,
      Duration ttl,
      Duration interval,
      boolean boundedInput) {
    this.idFn = idFn;
    this.boundedInput = boundedInput;
    this.coder = coder;
    this.ttl = ttl.getMillis();
    this.interval = interval.getMillis();
    this.sweepInterval = Math.max(this.interval, this.ttl / 2);
    this.waitingSpec = StateSpecs.map(StringUtf8Coder.of(), TimestampedValueCoder.of(coder));
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, T> element,
      @Timestamp Instant timestamp,
      @StateId("buckets") MapState<Long, Integer> buckets,
      @StateId("waiting") MapState<String, TimestampedValue<T>> waiting,
      @StateId("releaseAt") ValueState<Long> releaseAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @StateId("seen") MapState<String, Long> seen,
      @TimerId("release") Timer release) {
    long ts = timestamp.getMillis();
    if (!boundedInput) {
      // A copy of an event that has already passed (the usual re-delivery) is decided on arrival:
      // holding it until the watermark passes would cost state and change nothing.
      Long passed = seen.get(idFn.apply(element.getValue())).read();
      if (passed != null && Math.abs(ts - passed) < ttl) {
        dropped.inc();
        return;
      }
    }
    // A bounded input's watermark jumps to the end in one step, so buckets would only cost timers:
    // everything waits in one and is released, sorted, at the end.
    long bucket = boundedInput ? MAX_TARGET.getMillis() : ceilTo(ts + 1, interval);
    Integer size = buckets.get(bucket).read();
    int sequence = size == null ? 0 : size;
    waiting.put(bucket + "/" + sequence, TimestampedValue.of(element.getValue(), timestamp));
    buckets.put(bucket, sequence + 1);

    Long currentTarget = releaseAt.read();
    Long currentHold = holdAt.read();
    long target = currentTarget == null ? bucket : Math.min(currentTarget, bucket);
    long hold = currentHold == null ? ts : Math.min(currentHold, ts);
    if (currentTarget == null || target != currentTarget || hold != currentHold) {
      // An element earlier than everything waiting: bring the release forward and lower the hold
      // so that it is not late downstream when it is let through.
      if (currentTarget != null && target == currentTarget) {
        // Some runners' timer tables (Flink's batch mode among them) keep a timer's old output
        // timestamp when only that changes; clearing it first makes every runner take the new one.
        release.clear();
      }
      release.withOutputTimestamp(new Instant(hold)).set(new Instant(target));
      releaseAt.write(target);
      holdAt.write(hold);
    }
  }

  @OnTimer("release")
  public void onRelease(
      OnTimerContext context,
      @StateId("buckets") MapState<Long, Integer> buckets,
      @StateId("waiting") MapState<String, TimestampedValue<T>> waiting,
      @StateId("seen") MapState<String, Long> seen,
      @StateId("releaseAt") ValueState<Long> releaseAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @StateId("sweepAt") ValueState<Long> sweepAt,
      @TimerId("release") Timer release,
      @TimerId("sweep") Timer sweep) {
    long watermarkAtLeast = context.fireTimestamp().getMillis();
    // Every bucket the input watermark has passed is ready, not only the one this timer was set
    // for: when the watermark jumps, one firing releases them all instead of one firing each.
    long releaseUpTo = Math.max(watermarkAtLeast, release.getCurrentRelativeTime().getMillis());
    List<TimestampedValue<T>> ready = new ArrayList<>();
    Long nextBucket = null;
    for (Map.Entry<Long, Integer> bucket : buckets.entries().read()) {
      long end = bucket.getKey();
      if (end <= releaseUpTo) {
        for (int i = 0; i < bucket.getValue(); i++) {
          String slot = end + "/" + i;
          ready.add(waiting.get(slot).read());
          waiting.remove(slot);
        }
        buckets.remove(end);
      } else if (nextBucket == null || end < nextBucket) {
        nextBucket = end;
      }
    }
    ready.sort(EventTimeOrder.of(coder));

    for (TimestampedValue<T> candidate : ready) {
      String id = idFn.apply(candidate.getValue());
      long ts = candidate.getTimestamp().getMillis();
      Long passed = seen.get(id).read();
      if (passed != null && Math.abs(ts - passed) < ttl) {
        dropped.inc();
      } else {
        seen.put(id, passed == null ? ts : Math.max(passed, ts));
        context.outputWithTimestamp(candidate.getValue(), candidate.getTimestamp());
      }
    }

    if (nextBucket == null) {
      releaseAt.clear();
      holdAt.clear();
    } else {
      // Everything still waiting is in buckets that start at or after the ones just released.
      long hold = Math.max(nextBucket - interval, watermarkAtLeast);
      release.withOutputTimestamp(new Instant(hold)).set(new Instant(nextBucket));
      releaseAt.write(nextBucket);
      holdAt.write(hold);
    }
    if (!boundedInput && !ready.isEmpty() && sweepAt.read() == null) {
      long at = Math.min(ceilTo(watermarkAtLeast + ttl, sweepInterval), MAX_TARGET.getMillis());
      sweep.set(new Instant(at));
      sweepAt.write(at);
    }
  }

  @OnTimer("sweep")
  public void onSweep(
      OnTimerContext context,
      @StateId("seen") MapState<String, Long> seen,
      @StateId("sweepAt") ValueState<Long> sweepAt,
      @TimerId("sweep") Timer sweep) {
    long watermarkAtLeast = context.fireTimestamp().getMillis();
    Long oldestLeft = null;
    for (Map.Entry<String, Long> id : seen.entries().read()) {
      // No on-time element can be within the TTL of this id any more.
      if (id.getValue() + ttl <= watermarkAtLeast) {
        seen.remove(id.getKey());
      } else if (oldestLeft == null || id.getValue() < oldestLeft) {
        oldestLeft = id.getValue();
      }
    }
    if (oldestLeft == null) {
      sweepAt.clear();
    } else {
      long at = Math.min(ceilTo(oldestLeft + ttl, sweepInterval), MAX_TARGET.getMillis());
      sweep.set(new Instant(at));
      sweepAt.write(at);
    }
  }

  private static long ceilTo(long millis, long step) {
    long ceiled = Math.floorDiv(millis + step - 1, step) * step;
    return Math.min(ceiled, MAX_TARGET.getMillis());
  }
}
