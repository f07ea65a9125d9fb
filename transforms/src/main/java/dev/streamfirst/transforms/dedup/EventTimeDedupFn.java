package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.function.LongPredicate;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.metrics.Counter;
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
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time dedup of an unbounded input, keyed by group of ids.
 *
 * <p>A copy of an id that has already passed, within the TTL, is dropped on arrival: the usual
 * re-delivery costs no state. Any other element waits in its group's state until the watermark
 * passes the end of its slot of {@code releaseInterval} (one release timer per group, which holds
 * the watermark at the earliest waiting element); then the group's ready elements are decided in
 * event-time order against the ids that passed before them. A forget timer per group drops the ids
 * whose TTL the watermark has passed; it fires at most once per {@code forgetStep} (a quarter of
 * the TTL), so an id is remembered until the watermark is between one TTL and 1.25 TTL past it.
 *
 * <p>All of a group's state is one value ({@link EventTimeGroup}) and only value state and timers
 * are used, which every runner serves, Dataflow Runner v2 and Flink's portable runner included
 * (neither serves map state in streaming). An element costs one state read and, unless it is a
 * dropped copy, one write. An id is digested once, on arrival; an element that waits is encoded
 * once, on arrival, and decoded once, when it passes.
 */
final class EventTimeDedupFn<T> extends DoFn<KV<Integer, T>, T> {
  private static final long END_OF_TIME = GlobalWindow.INSTANCE.maxTimestamp().getMillis();

  private final SerializableFunction<T, String> idFn;
  private final Coder<T> coder;
  private final long ttl;
  private final long interval;
  private final long forgetStep;
  private final Counter dropped = StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);
  private transient IdDigests.Digester digester;

  @StateId("group")
  private final StateSpec<ValueState<EventTimeGroup>> groupSpec;

  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("forget")
  private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  EventTimeDedupFn(
      SerializableFunction<T, String> idFn, Coder<T> coder, Duration ttl, Duration interval) {
    this.idFn = idFn;
    this.coder = coder;
    this.ttl = ttl.getMillis();
    this.interval = interval.getMillis();
    this.forgetStep = Math.max(this.interval, this.ttl / 4);
    this.groupSpec = StateSpecs.value(EventTimeGroup.EventTimeGroupCoder.of());
  }

  @Setup
  public void setup() {
    digester = new IdDigests.Digester();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, T> element,
      @Timestamp Instant timestamp,
      @StateId("group") ValueState<EventTimeGroup> groupState,
      @TimerId("release") Timer release)
      throws CoderException {
    T value = element.getValue();
    long ts = timestamp.getMillis();
    IdDigests.Digest id = digester.of(idFn.apply(value));
    EventTimeGroup group = groupState.read();
    if (group == null) {
      group = new EventTimeGroup();
    } else {
      long last = group.passed.get(id);
      if (last != IdDigests.ABSENT && Math.abs(ts - last) < ttl) {
        // A copy of an event that has already passed (the usual re-delivery) is decided on
        // arrival: holding it until the watermark passes would cost state and change nothing.
        dropped.inc();
        return;
      }
    }
    long slotEnd = ceilTo(ts + 1, interval);
    if (group.waiting.isEmpty()) {
      setRelease(group, release, slotEnd, ts);
    } else if (slotEnd < group.releaseAt || ts < group.holdAt) {
      long target = Math.min(group.releaseAt, slotEnd);
      if (target == group.releaseAt) {
        // Some runners' timer tables (Flink's batch mode among them) keep a timer's old output
        // timestamp when only that changes; clearing it first makes every runner take the new one.
        release.clear();
      }
      setRelease(group, release, target, Math.min(group.holdAt, ts));
    }
    group.waiting.add(ts, id, CoderUtils.encodeToByteArray(coder, value));
    groupState.write(group);
  }

  @OnTimer("release")
  public void onRelease(
      OnTimerContext context,
      @StateId("group") ValueState<EventTimeGroup> groupState,
      @TimerId("release") Timer release,
      @TimerId("forget") Timer forget)
      throws CoderException {
    EventTimeGroup group = groupState.read();
    if (group == null || group.waiting.isEmpty()) {
      return;
    }
    // The watermark has passed this time: every element whose slot ends by then is ready. (Read
    // from the timer, not from the runner's watermark, which the Fn API harness does not expose.)
    long watermarkAtLeast = context.fireTimestamp().getMillis();
    LongPredicate ready = ts -> ceilTo(ts + 1, interval) <= watermarkAtLeast;

    boolean remembered = !group.passed.isEmpty();
    long firstExpiry = Long.MAX_VALUE;
    for (int candidate : group.waiting.inDecidingOrder(ready)) {
      IdDigests.Digest id = group.waiting.id(candidate);
      long ts = group.waiting.time(candidate);
      long last = group.passed.get(id);
      if (last != IdDigests.ABSENT && Math.abs(ts - last) < ttl) {
        dropped.inc();
      } else {
        long passed = last == IdDigests.ABSENT ? ts : Math.max(last, ts);
        group.passed.put(id, passed);
        firstExpiry = Math.min(firstExpiry, expiry(passed));
        context.outputWithTimestamp(
            CoderUtils.decodeFromByteArray(coder, group.waiting.encoding(candidate)),
            new Instant(ts));
      }
    }
    if (firstExpiry != Long.MAX_VALUE) {
      long at = ceilTo(firstExpiry, forgetStep);
      if (!remembered || at < group.forgetAt) {
        forget.set(new Instant(at));
        group.forgetAt = at;
      }
    }

    group.waiting.retainIf(ready.negate());
    if (!group.waiting.isEmpty()) {
      long next = Long.MAX_VALUE;
      long hold = Long.MAX_VALUE;
      for (int i = 0; i < group.waiting.size(); i++) {
        long ts = group.waiting.time(i);
        next = Math.min(next, ceilTo(ts + 1, interval));
        hold = Math.min(hold, ts);
      }
      // Everything still waiting is in slots that end after this firing.
      setRelease(group, release, next, Math.max(hold, watermarkAtLeast));
    }
    groupState.write(group);
  }

  @OnTimer("forget")
  public void onForget(
      OnTimerContext context,
      @StateId("group") ValueState<EventTimeGroup> groupState,
      @TimerId("forget") Timer forget) {
    EventTimeGroup group = groupState.read();
    if (group == null || group.passed.isEmpty()) {
      return;
    }
    // No on-time copy can be within the TTL of an id whose expiry the watermark has reached.
    long watermarkAtLeast = context.fireTimestamp().getMillis();
    group.passed.removeIf(passed -> expiry(passed) <= watermarkAtLeast);
    if (group.isEmpty()) {
      groupState.clear();
      return;
    }
    if (!group.passed.isEmpty()) {
      group.forgetAt = ceilTo(expiry(group.passed.minValue()), forgetStep);
      forget.set(new Instant(group.forgetAt));
    }
    groupState.write(group);
  }

  private static void setRelease(EventTimeGroup group, Timer release, long at, long hold) {
    release.withOutputTimestamp(new Instant(hold)).set(new Instant(at));
    group.releaseAt = at;
    group.holdAt = hold;
  }

  private long expiry(long passed) {
    return Math.min(passed + ttl, END_OF_TIME);
  }

  private static long ceilTo(long millis, long step) {
    long ceiled = Math.floorDiv(millis + step - 1, step) * step;
    return Math.min(ceiled, END_OF_TIME);
  }
}
