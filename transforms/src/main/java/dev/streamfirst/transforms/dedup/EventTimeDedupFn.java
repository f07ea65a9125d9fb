package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TimestampedValue.TimestampedValueCoder;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time dedup of an unbounded input, keyed by id.
 *
 * <p>A copy of an id that has already passed, within the TTL, is dropped on arrival: the usual
 * re-delivery costs no state. Any other element waits in its id's state until the watermark passes
 * the end of its slot of {@code releaseInterval} (one timer per waiting id, which holds the
 * watermark at the earliest waiting element); then the id's waiting elements are decided in
 * event-time order against the one that passed last. So what is held is the elements not yet passed
 * by the watermark, one entry per id, and what is remembered is one event time per id that passed
 * within the TTL, forgotten by a timer a TTL after it.
 *
 * <p>Only value and bag state and timers are used, which every runner serves, Dataflow Runner v2
 * and Flink's portable runner included (neither serves map state in streaming); and state keyed by
 * id lets Flink's heap state backend copy, after a checkpoint, only the ids touched since, not a
 * shard's whole map of ids.
 */
final class EventTimeDedupFn<T> extends DoFn<KV<String, T>, T> {
  private static final long END_OF_TIME = GlobalWindow.INSTANCE.maxTimestamp().getMillis();

  private final Coder<T> coder;
  private final long ttl;
  private final long interval;
  private final Counter dropped = StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);

  /** The event time (millis) of the latest element of this id that passed. */
  @StateId("passed")
  private final StateSpec<ValueState<Long>> passedSpec = StateSpecs.value(VarLongCoder.of());

  /** Elements of this id waiting for the watermark, with their event times. */
  @StateId("waiting")
  private final StateSpec<BagState<TimestampedValue<T>>> waitingSpec;

  /** When the release timer fires (a slot's end); null when nothing waits. */
  @StateId("releaseAt")
  private final StateSpec<ValueState<Long>> releaseAtSpec = StateSpecs.value(VarLongCoder.of());

  /** The release timer's watermark hold: never after the earliest waiting element. */
  @StateId("holdAt")
  private final StateSpec<ValueState<Long>> holdAtSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("forget")
  private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  EventTimeDedupFn(Coder<T> coder, Duration ttl, Duration interval) {
    this.coder = coder;
    this.ttl = ttl.getMillis();
    this.interval = interval.getMillis();
    this.waitingSpec = StateSpecs.bag(TimestampedValueCoder.of(coder));
  }

  @ProcessElement
  public void process(
      @Element KV<String, T> element,
      @Timestamp Instant timestamp,
      @StateId("passed") ValueState<Long> passed,
      @StateId("waiting") BagState<TimestampedValue<T>> waiting,
      @StateId("releaseAt") ValueState<Long> releaseAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @TimerId("release") Timer release) {
    long ts = timestamp.getMillis();
    Long last = passed.read();
    if (last != null && Math.abs(ts - last) < ttl) {
      // A copy of an event that has already passed (the usual re-delivery) is decided on arrival:
      // holding it until the watermark passes would cost state and change nothing.
      dropped.inc();
      return;
    }
    waiting.add(TimestampedValue.of(element.getValue(), timestamp));
    long slotEnd = ceilTo(ts + 1, interval);
    Long currentTarget = releaseAt.read();
    Long currentHold = holdAt.read();
    long target = currentTarget == null ? slotEnd : Math.min(currentTarget, slotEnd);
    long hold = currentHold == null ? ts : Math.min(currentHold, ts);
    if (currentTarget == null || target != currentTarget || hold != currentHold) {
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
      @StateId("passed") ValueState<Long> passed,
      @StateId("waiting") BagState<TimestampedValue<T>> waiting,
      @StateId("releaseAt") ValueState<Long> releaseAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @TimerId("release") Timer release,
      @TimerId("forget") Timer forget) {
    // The watermark has passed this time: every element whose slot ends by then is ready. (Read
    // from the timer, not from the runner's watermark, which the Fn API harness does not expose.)
    long watermarkAtLeast = context.fireTimestamp().getMillis();
    List<TimestampedValue<T>> ready = new ArrayList<>();
    List<TimestampedValue<T>> later = new ArrayList<>();
    for (TimestampedValue<T> candidate : waiting.read()) {
      long slotEnd = ceilTo(candidate.getTimestamp().getMillis() + 1, interval);
      (slotEnd <= watermarkAtLeast ? ready : later).add(candidate);
    }
    ready.sort(EventTimeOrder.of(coder));

    Long last = passed.read();
    Long before = last;
    for (TimestampedValue<T> candidate : ready) {
      long ts = candidate.getTimestamp().getMillis();
      if (last != null && Math.abs(ts - last) < ttl) {
        dropped.inc();
      } else {
        last = last == null ? ts : Math.max(last, ts);
        context.outputWithTimestamp(candidate.getValue(), candidate.getTimestamp());
      }
    }
    if (last != null && !last.equals(before)) {
      passed.write(last);
      // Forgotten once no on-time copy can be within the TTL of it any more.
      forget.set(new Instant(Math.min(last + ttl, END_OF_TIME)));
    }

    waiting.clear();
    if (later.isEmpty()) {
      releaseAt.clear();
      holdAt.clear();
      return;
    }
    long next = Long.MAX_VALUE;
    long hold = Long.MAX_VALUE;
    for (TimestampedValue<T> candidate : later) {
      waiting.add(candidate);
      long ts = candidate.getTimestamp().getMillis();
      next = Math.min(next, ceilTo(ts + 1, interval));
      hold = Math.min(hold, ts);
    }
    // Everything still waiting is in slots that end after this firing.
    hold = Math.max(hold, watermarkAtLeast);
    release.withOutputTimestamp(new Instant(hold)).set(new Instant(next));
    releaseAt.write(next);
    holdAt.write(hold);
  }

  @OnTimer("forget")
  public void onForget(
      OnTimerContext context,
      @StateId("passed") ValueState<Long> passed,
      @TimerId("forget") Timer forget) {
    Long last = passed.read();
    if (last == null) {
      return;
    }
    long expiry = Math.min(last + ttl, END_OF_TIME);
    if (expiry <= context.fireTimestamp().getMillis()) {
      passed.clear();
    } else {
      // A later copy passed after this timer was set: it lives on.
      forget.set(new Instant(expiry));
    }
  }

  private static long ceilTo(long millis, long step) {
    long ceiled = Math.floorDiv(millis + step - 1, step) * step;
    return Math.min(ceiled, END_OF_TIME);
  }
}
