package dev.streamfirst.transforms.windowing;

import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import dev.streamfirst.transforms.time.Durations;
import java.util.Collection;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Separates elements that arrive after every window they belong to has expired (window end plus
 * allowed lateness behind the watermark) from the rest, before they reach the windowed aggregation
 * that would drop them silently.
 *
 * <p>A DoFn cannot read its input watermark on every runner: {@code Timer.getCurrentRelativeTime()}
 * is the watermark only under Beam's classic DoFn runner, while the Fn API harness (Dataflow Runner
 * v2, portable runners) gives the element's timestamp there. So the check keeps, per shard, a lower
 * bound of the watermark that holds everywhere: an event-time timer that fired at {@code t} proves
 * the watermark reached {@code t}. A looping {@code clock} timer and a {@code probe} at recent
 * elements' timestamps keep the bound close behind the watermark. The clock also holds this step's
 * output watermark at the bound (its output timestamp), and that is what makes the check exact: the
 * aggregation downstream never has a watermark past the bound, so an element whose windows expire
 * at or after the bound is let through and taken there, and one whose windows expired before it is
 * late by a watermark every later step will see, and becomes a dead letter. Where the runner does
 * report the watermark in a timer (the classic runner), the bound is the watermark itself.
 *
 * <p>The clock steps {@link #STEP} at a time, so the output watermark trails the input by at most
 * about that much, and every window downstream closes that much later: the step is short for that
 * reason (at 1 s, results on a live stream came half a second later on average). When it fires
 * again right after its last firing (the watermark is racing ahead: a backlog, or the end of the
 * input), it doubles its step, so reaching the end of time takes a few dozen firings, not billions;
 * a probe firing sets it back to one step.
 *
 * <p>An element with a {@code null} value is a shard's seed: it starts the clock at the beginning
 * of time, before any data, so that a shard's first element is judged like every other.
 *
 * <p>The windows are those the element is first assigned (for sessions, its own gap-long window
 * before merging), exactly the ones Beam's lateness check looks at.
 */
final class SplitLateFn<T> extends DoFn<KV<Integer, T>, T> {
  /**
   * How far the clock steps when the watermark moves at an ordinary pace: at most this much added
   * to a result's latency, for ten firings a second per shard on a live stream.
   */
  static final Duration STEP = Duration.millis(100);

  private static final long END = GlobalWindow.INSTANCE.maxTimestamp().getMillis();

  private final WindowFn<Object, ? extends BoundedWindow> windowFn;
  private final Duration allowedLateness;
  private final SerializableFunction<T, String> payloadFn;
  private final TupleTag<T> onTime;
  private final TupleTag<DeadLetter> late;
  private final Counter lateEvents = StreamfirstMetrics.counter(StreamfirstMetrics.LATE_EVENTS);
  private final Counter deadLetters = StreamfirstMetrics.counter(StreamfirstMetrics.DEAD_LETTERS);
  private final Distribution lag =
      StreamfirstMetrics.distribution(StreamfirstMetrics.EVENT_TIME_LAG_MS);
  private final Gauge latestLag = StreamfirstMetrics.latest(StreamfirstMetrics.EVENT_TIME_LAG_MS);

  /** The greatest firing time seen: the input watermark is at or past it. */
  @StateId("bound")
  private final StateSpec<ValueState<Long>> boundSpec = StateSpecs.value(VarLongCoder.of());

  /** The clock's current step, in milliseconds. */
  @StateId("step")
  private final StateSpec<ValueState<Long>> stepSpec = StateSpecs.value(VarLongCoder.of());

  /** Wall-clock milliseconds of the clock's last firing, to tell a racing watermark. */
  @StateId("lastTick")
  private final StateSpec<ValueState<Long>> lastTickSpec = StateSpecs.value(VarLongCoder.of());

  /** Whether a probe is set. */
  @StateId("probing")
  private final StateSpec<ValueState<Boolean>> probingSpec = StateSpecs.value(BooleanCoder.of());

  /** Learns the watermark step by step and holds the output watermark at the bound. */
  @TimerId("clock")
  private final TimerSpec clockSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /** Fires when the watermark reaches a recent element's timestamp. */
  @TimerId("probe")
  private final TimerSpec probeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  SplitLateFn(
      WindowSpec spec,
      Duration allowedLateness,
      SerializableFunction<T, String> payloadFn,
      TupleTag<T> onTime,
      TupleTag<DeadLetter> late) {
    this.windowFn = spec.toWindowFn();
    this.allowedLateness = allowedLateness;
    this.payloadFn = payloadFn;
    this.onTime = onTime;
    this.late = late;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, T> element,
      @Timestamp Instant timestamp,
      @StateId("bound") ValueState<Long> boundState,
      @StateId("step") ValueState<Long> stepState,
      @StateId("probing") ValueState<Boolean> probing,
      @TimerId("clock") Timer clock,
      @TimerId("probe") Timer probe,
      MultiOutputReceiver out)
      throws Exception {
    Long bound = boundState.read();
    if (bound == null) {
      // No clock yet (a seed, or an element that overtook its shard's seed): start one, held
      // where this element is, the earliest a hold set now may be. Nothing is known yet of the
      // watermark.
      bound = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
      boundState.write(bound);
      stepState.write(STEP.getMillis());
      clock.withOutputTimestamp(timestamp).set(timestamp);
    }
    if (element.getValue() == null) {
      return;
    }
    T value = element.getValue();
    BoundedWindow last = lastWindow(windowFn, value, timestamp);
    Instant expiry = expiry(last);
    if (expiry.getMillis() < bound) {
      lateEvents.inc();
      deadLetters.inc();
      out.get(late)
          .output(
              DeadLetter.of(
                  payloadFn.apply(value),
                  "arrived after its windows closed: event time "
                      + timestamp
                      + ", last window "
                      + describe(last)
                      + " plus allowed lateness "
                      + Durations.format(allowedLateness)
                      + " ended at "
                      + expiry.plus(Duration.millis(1))
                      + ", watermark already at "
                      + new Instant(bound),
                  EventWindows.LATE_STAGE,
                  Instant.now()));
      return;
    }
    out.get(onTime).output(value);
    if (timestamp.getMillis() > bound && !Boolean.TRUE.equals(probing.read())) {
      probe.withOutputTimestamp(timestamp).set(timestamp);
      probing.write(true);
    }
  }

  @OnTimer("clock")
  public void onClock(
      OnTimerContext context,
      @StateId("bound") ValueState<Long> boundState,
      @StateId("step") ValueState<Long> stepState,
      @StateId("lastTick") ValueState<Long> lastTick,
      @TimerId("clock") Timer clock) {
    long fired = context.fireTimestamp().getMillis();
    long reported = reportedWatermark(context.fireTimestamp(), clock);
    long bound = Math.max(fired, Math.max(reported, orMin(boundState.read())));
    long wallNow = System.currentTimeMillis();
    Long previousTick = lastTick.read();
    Long previousStep = stepState.read();
    long step = previousStep == null ? STEP.getMillis() : previousStep;
    // Only a bare firing time says nothing of how far the watermark went: if it fired again
    // right away, the watermark is racing ahead, so take longer steps.
    boolean racing = reported <= fired && previousTick != null && wallNow - previousTick < step / 2;
    step = racing ? Math.min(step * 2, Long.MAX_VALUE / 4) : STEP.getMillis();
    lastTick.write(wallNow);
    stepState.write(step);
    recordLag(bound, wallNow);
    tick(bound, step, boundState, clock);
  }

  @OnTimer("probe")
  public void onProbe(
      OnTimerContext context,
      @StateId("bound") ValueState<Long> boundState,
      @StateId("step") ValueState<Long> stepState,
      @StateId("probing") ValueState<Boolean> probing,
      @TimerId("clock") Timer clock,
      @TimerId("probe") Timer probe) {
    probing.clear();
    long reported = reportedWatermark(context.fireTimestamp(), probe);
    long bound =
        Math.max(context.fireTimestamp().getMillis(), Math.max(reported, orMin(boundState.read())));
    // Caught up with the data: the clock goes on from here one step at a time, which also ends
    // any overshoot its longer steps left.
    stepState.write(STEP.getMillis());
    recordLag(bound, System.currentTimeMillis());
    tick(bound, STEP.getMillis(), boundState, clock);
  }

  /**
   * Processing time minus the watermark, from the bound just learned. A bound ahead of the clock
   * (event times in the future, or the end of the input) says nothing about lag and is skipped.
   */
  private void recordLag(long bound, long wallNow) {
    if (bound > BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis() && bound < END && bound <= wallNow) {
      lag.update(wallNow - bound);
      latestLag.set(wallNow - bound);
    }
  }

  /** Records the bound and sets the clock one step beyond it, holding the output there. */
  private static void tick(long bound, long step, ValueState<Long> boundState, Timer clock) {
    boundState.write(Math.min(bound, END));
    if (bound >= END) {
      // The input has ended: no hold, no more firings.
      clock.clear();
      return;
    }
    long next = step >= END - bound ? END : bound + step;
    clock.withOutputTimestamp(new Instant(bound)).set(new Instant(next));
  }

  /**
   * What the runner reports as the relative time in a timer: the input watermark under the classic
   * DoFn runner, the firing time under the Fn API harness. Either way the watermark is at or past
   * it. FlinkRunner reports a finished input as Long.MAX_VALUE, beyond Beam's range.
   */
  private static long reportedWatermark(Instant fired, Timer timer) {
    Instant reported = timer.getCurrentRelativeTime();
    if (reported == null || reported.isBefore(fired)) {
      return fired.getMillis();
    }
    return Math.min(reported.getMillis(), BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis());
  }

  private static long orMin(Long value) {
    return value == null ? BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis() : value;
  }

  /** The window of the element that closes last. */
  private static <W extends BoundedWindow> BoundedWindow lastWindow(
      WindowFn<Object, W> windowFn, Object element, Instant timestamp) throws Exception {
    Collection<W> windows =
        windowFn.assignWindows(
            windowFn.new AssignContext() {
              @Override
              public Object element() {
                return element;
              }

              @Override
              public Instant timestamp() {
                return timestamp;
              }

              @Override
              public BoundedWindow window() {
                return GlobalWindow.INSTANCE;
              }
            });
    BoundedWindow last = null;
    for (BoundedWindow w : windows) {
      if (last == null || w.maxTimestamp().isAfter(last.maxTimestamp())) {
        last = w;
      }
    }
    return last;
  }

  /** The last instant at which the window still takes data, as Beam computes it. */
  private Instant expiry(BoundedWindow window) {
    Instant max = window.maxTimestamp();
    long room = BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis() - max.getMillis();
    return allowedLateness.getMillis() >= room
        ? BoundedWindow.TIMESTAMP_MAX_VALUE
        : max.plus(allowedLateness);
  }

  private static String describe(BoundedWindow window) {
    if (window instanceof IntervalWindow) {
      IntervalWindow w = (IntervalWindow) window;
      return "[" + w.start() + ", " + w.end() + ")";
    }
    return window.toString();
  }
}
