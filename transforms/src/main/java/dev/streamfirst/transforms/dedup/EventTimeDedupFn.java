package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
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
 * <p>Only value state and timers are used, which every runner serves, Dataflow Runner v2 and
 * Flink's portable runner included (neither serves map state in streaming); and state keyed by id
 * lets Flink's heap state backend copy, after a checkpoint, only the ids touched since, not a
 * shard's whole map of ids. All of an id's state is one value ({@link IdState}): an element costs
 * one state read and, unless it is a dropped copy, one write.
 */
final class EventTimeDedupFn<T> extends DoFn<KV<String, T>, T> {
  private static final long END_OF_TIME = GlobalWindow.INSTANCE.maxTimestamp().getMillis();

  private final Coder<T> coder;
  private final long ttl;
  private final long interval;
  private final Counter dropped = StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);

  @StateId("id")
  private final StateSpec<ValueState<IdState<T>>> idSpec;

  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("forget")
  private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  EventTimeDedupFn(Coder<T> coder, Duration ttl, Duration interval) {
    this.coder = coder;
    this.ttl = ttl.getMillis();
    this.interval = interval.getMillis();
    this.idSpec = StateSpecs.value(IdState.IdStateCoder.of(coder));
  }

  @ProcessElement
  public void process(
      @Element KV<String, T> element,
      @Timestamp Instant timestamp,
      @StateId("id") ValueState<IdState<T>> id,
      @TimerId("release") Timer release) {
    long ts = timestamp.getMillis();
    IdState<T> state = id.read();
    Long last = state == null ? null : state.passed;
    if (last != null && Math.abs(ts - last) < ttl) {
      // A copy of an event that has already passed (the usual re-delivery) is decided on arrival:
      // holding it until the watermark passes would cost state and change nothing.
      dropped.inc();
      return;
    }
    List<TimestampedValue<T>> waiting = new ArrayList<>(state == null ? List.of() : state.waiting);
    boolean wasWaiting = !waiting.isEmpty();
    waiting.add(TimestampedValue.of(element.getValue(), timestamp));
    long slotEnd = ceilTo(ts + 1, interval);
    long target = wasWaiting ? Math.min(state.releaseAt, slotEnd) : slotEnd;
    long hold = wasWaiting ? Math.min(state.holdAt, ts) : ts;
    if (!wasWaiting || target != state.releaseAt || hold != state.holdAt) {
      if (wasWaiting && target == state.releaseAt) {
        // Some runners' timer tables (Flink's batch mode among them) keep a timer's old output
        // timestamp when only that changes; clearing it first makes every runner take the new one.
        release.clear();
      }
      release.withOutputTimestamp(new Instant(hold)).set(new Instant(target));
    }
    id.write(new IdState<>(last, waiting, target, hold));
  }

  @OnTimer("release")
  public void onRelease(
      OnTimerContext context,
      @StateId("id") ValueState<IdState<T>> id,
      @TimerId("release") Timer release,
      @TimerId("forget") Timer forget) {
    IdState<T> state = id.read();
    if (state == null || state.waiting.isEmpty()) {
      return;
    }
    // The watermark has passed this time: every element whose slot ends by then is ready. (Read
    // from the timer, not from the runner's watermark, which the Fn API harness does not expose.)
    long watermarkAtLeast = context.fireTimestamp().getMillis();
    List<TimestampedValue<T>> ready = new ArrayList<>();
    List<TimestampedValue<T>> later = new ArrayList<>();
    for (TimestampedValue<T> candidate : state.waiting) {
      long slotEnd = ceilTo(candidate.getTimestamp().getMillis() + 1, interval);
      (slotEnd <= watermarkAtLeast ? ready : later).add(candidate);
    }
    ready.sort(EventTimeOrder.of(coder));

    Long last = state.passed;
    for (TimestampedValue<T> candidate : ready) {
      long ts = candidate.getTimestamp().getMillis();
      if (last != null && Math.abs(ts - last) < ttl) {
        dropped.inc();
      } else {
        last = last == null ? ts : Math.max(last, ts);
        context.outputWithTimestamp(candidate.getValue(), candidate.getTimestamp());
      }
    }
    if (last != null && !last.equals(state.passed)) {
      // Forgotten once no on-time copy can be within the TTL of it any more.
      forget.set(new Instant(Math.min(last + ttl, END_OF_TIME)));
    }

    if (later.isEmpty()) {
      id.write(IdState.passedAt(last));
      return;
    }
    long next = Long.MAX_VALUE;
    long hold = Long.MAX_VALUE;
    for (TimestampedValue<T> candidate : later) {
      long ts = candidate.getTimestamp().getMillis();
      next = Math.min(next, ceilTo(ts + 1, interval));
      hold = Math.min(hold, ts);
    }
    // Everything still waiting is in slots that end after this firing.
    hold = Math.max(hold, watermarkAtLeast);
    release.withOutputTimestamp(new Instant(hold)).set(new Instant(next));
    id.write(new IdState<>(last, later, next, hold));
  }

  @OnTimer("forget")
  public void onForget(
      OnTimerContext context,
      @StateId("id") ValueState<IdState<T>> id,
      @TimerId("forget") Timer forget) {
    IdState<T> state = id.read();
    if (state == null || state.passed == null) {
      return;
    }
    long expiry = Math.min(state.passed + ttl, END_OF_TIME);
    if (expiry > context.fireTimestamp().getMillis()) {
      // A later copy passed after this timer was set: it lives on.
      forget.set(new Instant(expiry));
    } else if (state.waiting.isEmpty()) {
      id.clear();
    } else {
      id.write(new IdState<>(null, state.waiting, state.releaseAt, state.holdAt));
    }
  }

  private static long ceilTo(long millis, long step) {
    long ceiled = Math.floorDiv(millis + step - 1, step) * step;
    return Math.min(ceiled, END_OF_TIME);
  }
}
