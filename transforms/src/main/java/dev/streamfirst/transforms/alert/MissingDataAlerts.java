package dev.streamfirst.transforms.alert;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import dev.streamfirst.transforms.time.Durations;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Opens an alert when a key sends no events for longer than a gap, and resolves it with the key's
 * next event: {@code no events for 5m}. An alert opens once and resolves once.
 *
 * <p>Events are taken per key in event-time order (held until the watermark passes them), so a
 * silence between two events is found whatever order they arrive in: on a bounded input, where the
 * watermark moves only at the end, the alert opens and resolves just the same. On an unbounded
 * input, a silence that is still going on is found by an event-time timer when the watermark passes
 * the last event plus the gap. The end of a bounded input is never a silence (whether or not the
 * runner reports the watermark to timers: on a bounded input only gaps between events count). The
 * end of a stream is not one either where the runner reports the watermark to timers; under the Fn
 * API harness a drained stream may open alerts for keys whose gap had not yet passed.
 *
 * <pre>{@code
 * PCollection<Alert> alerts = events.apply("Silence",
 *     MissingDataAlerts.of(Event::key, Duration.standardMinutes(5)));
 * }</pre>
 */
@AutoValue
public abstract class MissingDataAlerts<T> extends PTransform<PCollection<T>, PCollection<Alert>> {

  abstract SerializableFunction<T, String> keyFn();

  abstract Duration gap();

  abstract Duration forgetAfter();

  /** How long a silent key is remembered by default: its open alert resolves as forgotten. */
  public static final Duration DEFAULT_FORGET_AFTER = Duration.standardDays(7);

  /** Alerts for each key (by {@code keyFn}) silent for longer than {@code gap}. */
  public static <T> MissingDataAlerts<T> of(SerializableFunction<T, String> keyFn, Duration gap) {
    if (keyFn == null) {
      throw new IllegalArgumentException(
          "MissingDataAlerts.of() needs a key function, e.g. Event::key, got null");
    }
    if (gap == null || gap.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "MissingDataAlerts.of() needs a positive gap, e.g. 5m, got "
              + (gap == null ? "null" : Durations.format(gap)));
    }
    return new AutoValue_MissingDataAlerts<>(keyFn, gap, max(gap, DEFAULT_FORGET_AFTER));
  }

  /**
   * How long a silent key is remembered (on an unbounded input; by default 7 days, or the gap if
   * longer): after that much event time without events its state is dropped, so keys that are gone
   * for good do not stay in state forever. Its open alert then resolves with a detail that says so,
   * and its next event, if any, starts afresh.
   */
  public MissingDataAlerts<T> withForgetAfter(Duration forgetAfter) {
    if (forgetAfter == null || forgetAfter.isShorterThan(gap())) {
      throw new IllegalArgumentException(
          "withForgetAfter() must be at least the gap "
              + Durations.format(gap())
              + ", got "
              + (forgetAfter == null ? "null" : Durations.format(forgetAfter)));
    }
    return new AutoValue_MissingDataAlerts<>(keyFn(), gap(), forgetAfter);
  }

  private static Duration max(Duration a, Duration b) {
    return a.isLongerThan(b) ? a : b;
  }

  /** The rule in words, e.g. {@code no events for 5m}. */
  public String rule() {
    return "no events for " + Durations.format(gap());
  }

  @Override
  public PCollection<Alert> expand(PCollection<T> events) {
    if (!(events.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "MissingDataAlerts needs events that are not windowed yet: a silence spans windows");
    }
    SerializableFunction<T, String> keyFn = keyFn();
    return events
        .apply(
            "EventTimesByKey",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((T e) -> KV.of(keyFn.apply(e), 0L)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply(
            "FindSilences",
            ParDo.of(
                new FindSilencesFn(
                    gap(),
                    forgetAfter(),
                    rule(),
                    events.isBounded() == PCollection.IsBounded.BOUNDED)))
        .setCoder(AlertCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("gap", Durations.format(gap())).withLabel("Silence longer than"))
        .add(
            DisplayData.item("forgetAfter", Durations.format(forgetAfter()))
                .withLabel("Silent keys forgotten after"));
  }

  /**
   * Takes a key's event times once the watermark passes them and finds the gaps between them.
   *
   * <p>Pending times are kept as runs: maximal groups in which each time is within the gap of the
   * next, so no silence lies inside a run. A release reads the pending runs and writes back only
   * the runs still ahead of the watermark, a handful however many events a hot key has, instead of
   * rewriting every pending time on every watermark step.
   */
  private static final class FindSilencesFn extends DoFn<KV<String, Long>, Alert> {
    private static final Instant END = GlobalWindow.INSTANCE.maxTimestamp();

    private final long gap;
    private final long forgetAfter;
    private final String rule;
    private final boolean bounded;
    private final Counter opened = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_OPENED);
    private final Counter resolved = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_RESOLVED);

    /** Runs of event times waiting for the watermark: first and last time of each. */
    @StateId("pending")
    private final StateSpec<BagState<KV<Long, Long>>> pendingSpec =
        StateSpecs.bag(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));

    @StateId("releaseAt")
    private final StateSpec<ValueState<Long>> releaseAtSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("lastSeen")
    private final StateSpec<ValueState<Long>> lastSeenSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("open")
    private final StateSpec<ValueState<Boolean>> openSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("release")
    private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("silence")
    private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("forget")
    private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FindSilencesFn(Duration gap, Duration forgetAfter, String rule, boolean bounded) {
      this.gap = gap.getMillis();
      this.forgetAfter = forgetAfter.getMillis();
      this.rule = rule;
      this.bounded = bounded;
    }

    @ProcessElement
    public void process(
        @Timestamp Instant timestamp,
        @StateId("pending") BagState<KV<Long, Long>> pending,
        @StateId("releaseAt") ValueState<Long> releaseAt,
        @StateId("lastSeen") ValueState<Long> lastSeen,
        @TimerId("release") Timer release) {
      long ts = timestamp.getMillis();
      Long seen = lastSeen.read();
      if (seen != null && ts <= seen) {
        return; // not news: the key was already heard from at or after this time
      }
      pending.add(KV.of(ts, ts));
      Long at = releaseAt.read();
      if (at == null || ts < at) {
        release.withOutputTimestamp(timestamp).set(timestamp);
        releaseAt.write(ts);
      }
    }

    @OnTimer("release")
    public void onRelease(
        OnTimerContext context,
        @Key String key,
        @StateId("pending") BagState<KV<Long, Long>> pending,
        @StateId("releaseAt") ValueState<Long> releaseAt,
        @StateId("lastSeen") ValueState<Long> lastSeenState,
        @StateId("open") ValueState<Boolean> openState,
        @TimerId("release") Timer release,
        @TimerId("silence") Timer silence,
        @TimerId("forget") Timer forget,
        OutputReceiver<Alert> out) {
      long now =
          ThresholdAlerts.EvaluateFn.watermarkAtLeast(context.fireTimestamp(), release).getMillis();
      List<KV<Long, Long>> runs = runs(pending.read(), gap);
      Long lastSeen = lastSeenState.read();
      boolean open = Boolean.TRUE.equals(openState.read());
      List<KV<Long, Long>> later = new ArrayList<>();
      for (KV<Long, Long> run : runs) {
        long first = run.getKey();
        if (first > now) {
          later.add(run);
          continue;
        }
        // Runs are apart by more than the gap and start after lastSeen, so the only silence a
        // run can end is the one before its first time. The rest of a run that lies ahead of
        // the watermark holds no silence either, so it is taken now too.
        if (lastSeen != null && first - lastSeen > gap && !open) {
          open(key, lastSeen, out);
          open = true;
        }
        if (open) {
          resolved.inc();
          out.output(
              Alert.resolved(
                  key, rule, new Instant(first), "events again after " + since(lastSeen)));
          open = false;
        }
        lastSeen = run.getValue();
      }
      if (lastSeen != null) {
        lastSeenState.write(lastSeen);
        if (!bounded) {
          // Strictly longer than the gap: an event exactly one gap later is not a silence.
          silence.set(new Instant(Math.min(lastSeen + gap + 1, END.getMillis())));
          forget.set(
              new Instant(
                  forgetAfter >= END.getMillis() - lastSeen
                      ? END.getMillis()
                      : lastSeen + forgetAfter));
        }
      }
      openState.write(open);
      pending.clear();
      later.forEach(pending::add);
      if (later.isEmpty()) {
        releaseAt.clear();
      } else {
        Instant next = new Instant(later.get(0).getKey());
        release.withOutputTimestamp(next).set(next);
        releaseAt.write(next.getMillis());
      }
    }

    /**
     * Only on an unbounded input: on a bounded one the watermark moves only when the input has
     * ended, so a silence timer could only ever fire at the end, which is not a silence. (Telling
     * the end apart inside the timer needs the watermark, which the Fn API harness does not give:
     * there the relative time is the firing time.)
     */
    @OnTimer("silence")
    public void onSilence(
        OnTimerContext context,
        @Key String key,
        @StateId("lastSeen") ValueState<Long> lastSeenState,
        @StateId("open") ValueState<Boolean> openState,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      // The watermark at the end of time means the input ended: that is not a silence.
      if (!ThresholdAlerts.EvaluateFn.watermarkAtLeast(context.fireTimestamp(), silence)
          .isBefore(END)) {
        return;
      }
      Long lastSeen = lastSeenState.read();
      if (lastSeen != null && !Boolean.TRUE.equals(openState.read())) {
        open(key, lastSeen, out);
        openState.write(true);
      }
    }

    /** Drops a key silent for {@code forgetAfter}; an open alert resolves, saying why. */
    @OnTimer("forget")
    public void onForget(
        OnTimerContext context,
        @Key String key,
        @StateId("pending") BagState<KV<Long, Long>> pending,
        @StateId("lastSeen") ValueState<Long> lastSeenState,
        @StateId("open") ValueState<Boolean> openState,
        @TimerId("forget") Timer forget,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      if (!ThresholdAlerts.EvaluateFn.watermarkAtLeast(context.fireTimestamp(), forget)
          .isBefore(END)) {
        return; // the input ended: its state goes with the window
      }
      Long lastSeen = lastSeenState.read();
      if (lastSeen == null || pending.read().iterator().hasNext()) {
        return; // events are waiting for the watermark: not forgotten
      }
      if (Boolean.TRUE.equals(openState.read())) {
        resolved.inc();
        out.output(
            Alert.resolved(
                key,
                rule,
                context.fireTimestamp(),
                "no events since "
                    + since(lastSeen)
                    + ": forgotten after "
                    + Durations.format(Duration.millis(forgetAfter))
                    + "; its next event starts afresh"));
      }
      lastSeenState.clear();
      openState.clear();
      silence.clear();
    }

    /** Sorted runs: times within the gap of each other joined, each run as its first and last. */
    static List<KV<Long, Long>> runs(Iterable<KV<Long, Long>> pending, long gap) {
      List<KV<Long, Long>> sorted = new ArrayList<>();
      pending.forEach(sorted::add);
      sorted.sort((a, b) -> Long.compare(a.getKey(), b.getKey()));
      List<KV<Long, Long>> runs = new ArrayList<>();
      for (KV<Long, Long> r : sorted) {
        KV<Long, Long> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (last != null && r.getKey() - last.getValue() <= gap) {
          runs.set(runs.size() - 1, KV.of(last.getKey(), Math.max(last.getValue(), r.getValue())));
        } else {
          runs.add(r);
        }
      }
      return runs;
    }

    private void open(String key, long lastSeen, OutputReceiver<Alert> out) {
      opened.inc();
      out.output(
          Alert.opened(
              key, rule, new Instant(lastSeen + gap), "no events since " + since(lastSeen)));
    }

    private static String since(long lastSeen) {
      return new Instant(lastSeen).toString();
    }
  }
}
