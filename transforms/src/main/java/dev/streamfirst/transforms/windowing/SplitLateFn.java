package dev.streamfirst.transforms.windowing;

import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import dev.streamfirst.transforms.time.Durations;
import java.util.Collection;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
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
 * <p>It compares with this step's input watermark, which an event-time timer reports as its
 * relative time. The aggregation downstream can only have a watermark at or behind that one when
 * the element reaches it, so an element let through here is never dropped there; an element sent to
 * the dead letters here is late by the watermark that every later step will see.
 *
 * <p>The windows are those the element is first assigned (for sessions, its own gap-long window
 * before merging), exactly the ones Beam's lateness check looks at.
 */
final class SplitLateFn<T> extends DoFn<KV<Integer, T>, T> {
  private final WindowFn<Object, ? extends BoundedWindow> windowFn;
  private final Duration allowedLateness;
  private final SerializableFunction<T, String> payloadFn;
  private final TupleTag<T> onTime;
  private final TupleTag<DeadLetter> late;
  private final Counter lateEvents = StreamfirstMetrics.counter(StreamfirstMetrics.LATE_EVENTS);
  private final Counter deadLetters = StreamfirstMetrics.counter(StreamfirstMetrics.DEAD_LETTERS);

  /** Never set: only read, for the input watermark. */
  @TimerId("watermark")
  private final TimerSpec watermarkSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

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
      @TimerId("watermark") Timer watermarkTimer,
      MultiOutputReceiver out)
      throws Exception {
    Instant watermark = watermarkTimer.getCurrentRelativeTime();
    BoundedWindow last = lastWindow(windowFn, element.getValue(), timestamp);
    Instant expiry = expiry(last);
    if (expiry.isBefore(watermark)) {
      lateEvents.inc();
      deadLetters.inc();
      out.get(late)
          .output(
              DeadLetter.of(
                  payloadFn.apply(element.getValue()),
                  "arrived after its windows closed: event time "
                      + timestamp
                      + ", last window "
                      + describe(last)
                      + " plus allowed lateness "
                      + Durations.format(allowedLateness)
                      + " ended at "
                      + expiry.plus(Duration.millis(1))
                      + ", watermark already at "
                      + watermark,
                  EventWindows.LATE_STAGE,
                  Instant.now()));
    } else {
      out.get(onTime).output(element.getValue());
    }
  }

  @OnTimer("watermark")
  public void onWatermark() {}

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
