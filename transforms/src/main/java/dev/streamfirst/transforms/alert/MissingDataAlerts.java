package dev.streamfirst.transforms.alert;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import dev.streamfirst.transforms.time.Durations;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
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
 * watermark moves only at the end, the alert opens and resolves just the same. A silence that is
 * still going on is found by an event-time timer when the watermark passes the last event plus the
 * gap; the end of a bounded input, or of a stream, is not a silence.
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
    return new AutoValue_MissingDataAlerts<>(keyFn, gap);
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
        .apply("FindSilences", ParDo.of(new FindSilencesFn(gap(), rule())))
        .setCoder(SerializableCoder.of(Alert.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("gap", Durations.format(gap())).withLabel("Silence longer than"));
  }

  private static final class FindSilencesFn extends DoFn<KV<String, Long>, Alert> {
    private static final Instant END = GlobalWindow.INSTANCE.maxTimestamp();

    private final long gap;
    private final String rule;
    private final Counter opened = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_OPENED);
    private final Counter resolved = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_RESOLVED);

    /** Event times waiting for the watermark. */
    @StateId("pending")
    private final StateSpec<BagState<Long>> pendingSpec = StateSpecs.bag(VarLongCoder.of());

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

    FindSilencesFn(Duration gap, String rule) {
      this.gap = gap.getMillis();
      this.rule = rule;
    }

    @ProcessElement
    public void process(
        @Timestamp Instant timestamp,
        @StateId("pending") BagState<Long> pending,
        @StateId("releaseAt") ValueState<Long> releaseAt,
        @TimerId("release") Timer release) {
      pending.add(timestamp.getMillis());
      Long at = releaseAt.read();
      if (at == null || timestamp.getMillis() < at) {
        release.withOutputTimestamp(timestamp).set(timestamp);
        releaseAt.write(timestamp.getMillis());
      }
    }

    @OnTimer("release")
    public void onRelease(
        OnTimerContext context,
        @Key String key,
        @StateId("pending") BagState<Long> pending,
        @StateId("releaseAt") ValueState<Long> releaseAt,
        @StateId("lastSeen") ValueState<Long> lastSeenState,
        @StateId("open") ValueState<Boolean> openState,
        @TimerId("release") Timer release,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      long now =
          ThresholdAlerts.EvaluateFn.watermarkAtLeast(context.fireTimestamp(), release).getMillis();
      List<Long> ready = new ArrayList<>();
      List<Long> later = new ArrayList<>();
      for (long ts : pending.read()) {
        (ts <= now ? ready : later).add(ts);
      }
      ready.sort(Long::compare);
      Long lastSeen = lastSeenState.read();
      boolean open = Boolean.TRUE.equals(openState.read());
      for (long ts : ready) {
        if (lastSeen != null && ts <= lastSeen) {
          continue; // not news: the key was already heard from at or after this time
        }
        if (lastSeen != null && ts - lastSeen > gap && !open) {
          open(key, lastSeen, out);
          open = true;
        }
        if (open) {
          resolved.inc();
          out.output(
              Alert.resolved(key, rule, new Instant(ts), "events again after " + since(lastSeen)));
          open = false;
        }
        lastSeen = ts;
      }
      if (lastSeen != null) {
        lastSeenState.write(lastSeen);
        // Strictly longer than the gap: an event exactly one gap later is not a silence.
        silence.set(new Instant(Math.min(lastSeen + gap + 1, END.getMillis())));
      }
      openState.write(open);
      pending.clear();
      later.forEach(pending::add);
      Long next = later.stream().min(Long::compare).orElse(null);
      if (next == null) {
        releaseAt.clear();
      } else {
        release.withOutputTimestamp(new Instant(next)).set(new Instant(next));
        releaseAt.write(next);
      }
    }

    @OnTimer("silence")
    public void onSilence(
        @Key String key,
        @StateId("lastSeen") ValueState<Long> lastSeenState,
        @StateId("open") ValueState<Boolean> openState,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      // The watermark at the end of time means the input ended: that is not a silence.
      if (!silence.getCurrentRelativeTime().isBefore(END)) {
        return;
      }
      Long lastSeen = lastSeenState.read();
      if (lastSeen != null && !Boolean.TRUE.equals(openState.read())) {
        open(key, lastSeen, out);
        openState.write(true);
      }
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
