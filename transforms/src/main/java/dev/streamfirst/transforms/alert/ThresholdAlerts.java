package dev.streamfirst.transforms.alert;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.aggregate.SummaryRowCoder;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
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
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Never;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Opens an alert for a key when a {@link ThresholdRule} holds for that many consecutive windows of
 * the key, and resolves it at the first window where it no longer holds. An alert opens once and
 * resolves once: no repeats while it stays open, no flapping.
 *
 * <p>Each window is judged by its on-time row (everything that arrived in time); early and late
 * panes do not move alerts. Discarding panes with early firings are refused, since there the
 * on-time row holds only what arrived after the last early one. Windows are taken in order of their
 * start, and are consecutive only when they follow each other in time: a window without data (it
 * has no row) breaks the streak, so "3 windows" never spans a silence, and an open alert resolves
 * at the end of the first window without data, while running as soon as the watermark passes it. A
 * key that has gone quiet is then forgotten. Rows are held until the watermark passes them, so the
 * order they arrive in does not matter and the result is the same on every runner. The end of the
 * input resolves nothing.
 *
 * <pre>{@code
 * PCollection<Alert> alerts = summaryRows.apply("HighMean",
 *     ThresholdAlerts.of(ThresholdRule.parse("mean > 80 for 3 windows")));
 * }</pre>
 */
@AutoValue
public abstract class ThresholdAlerts
    extends PTransform<PCollection<SummaryRow>, PCollection<Alert>> {

  abstract ThresholdRule rule();

  public static ThresholdAlerts of(ThresholdRule rule) {
    if (rule == null) {
      throw new IllegalArgumentException(
          "ThresholdAlerts.of() needs a rule, e.g. ThresholdRule.parse(\""
              + ThresholdRule.EXAMPLE
              + "\"), got null");
    }
    return new AutoValue_ThresholdAlerts(rule);
  }

  @Override
  public PCollection<Alert> expand(PCollection<SummaryRow> rows) {
    if (!onTimePaneIsWhole(rows.getWindowingStrategy())) {
      throw new IllegalArgumentException(
          "ThresholdAlerts judges each window by its on-time row, but with discarding panes and"
              + " early firings that row holds only what arrived since the last early one: use"
              + " accumulating panes (TriggerPolicy ... accumulating) or no early firings, got "
              + rows.getWindowingStrategy().getTrigger()
              + " with "
              + rows.getWindowingStrategy().getMode());
    }
    return rows.apply(
            "OnTimeRows", Filter.by((SummaryRow r) -> r.paneTiming() == PaneInfo.Timing.ON_TIME))
        // Back to the global window and its default trigger: alerts are not aggregated again,
        // and this lets them be flattened with alerts from other rules.
        .apply(
            "Unwindow",
            Window.<SummaryRow>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("ByKey", WithKeys.of(SummaryRow::key).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SummaryRowCoder.of()))
        .apply(
            "EvaluateRule",
            ParDo.of(new EvaluateFn(rule(), rows.isBounded() == PCollection.IsBounded.BOUNDED)))
        .setCoder(AlertCoder.of());
  }

  /** Whether a window's on-time pane holds everything that arrived for it in time. */
  static boolean onTimePaneIsWhole(WindowingStrategy<?, ?> strategy) {
    if (strategy.getMode() != WindowingStrategy.AccumulationMode.DISCARDING_FIRED_PANES) {
      return true;
    }
    Trigger trigger = strategy.getTrigger();
    if (trigger instanceof DefaultTrigger || trigger instanceof AfterWatermark.FromEndOfWindow) {
      return true;
    }
    if (trigger instanceof AfterWatermark.AfterWatermarkEarlyAndLate t) {
      return t.getEarlyTrigger() == null || t.getEarlyTrigger() instanceof Never.NeverTrigger;
    }
    return false;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("rule", rule().toString()).withLabel("Alert rule"));
  }

  /**
   * Holds a key's rows until the watermark passes them, then judges them in window order.
   *
   * <p>Two windows are consecutive when the later one starts no later than the earlier one ends
   * (and, for sliding windows, one period on: the shortest step seen between the key's windows). A
   * window with no data has no row, so a later row that starts after that is a break: the streak
   * starts again, and an open alert resolves at the end of the first window that had no data. While
   * running, a {@code silence} timer finds such a break without waiting for the key's next row:
   * once the watermark is one window length past the last judged window and nothing followed it, no
   * later row can continue the streak. Then the key has nothing left to remember and its state is
   * cleared, so keys that went quiet do not stay in state forever.
   */
  static final class EvaluateFn extends DoFn<KV<String, SummaryRow>, Alert> {
    private static final Instant END = GlobalWindow.INSTANCE.maxTimestamp();

    private final ThresholdRule rule;
    private final boolean bounded;
    private final Counter opened = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_OPENED);
    private final Counter resolved = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_RESOLVED);

    @StateId("pending")
    private final StateSpec<BagState<SummaryRow>> pendingSpec =
        StateSpecs.bag(SummaryRowCoder.of());

    @StateId("releaseAt")
    private final StateSpec<ValueState<Long>> releaseAtSpec = StateSpecs.value(VarLongCoder.of());

    /** Consecutive windows meeting the rule; once the alert is open, it stays at or above N. */
    @StateId("streak")
    private final StateSpec<ValueState<Integer>> streakSpec = StateSpecs.value(VarIntCoder.of());

    /** Start and end of the last judged window. */
    @StateId("last")
    private final StateSpec<ValueState<KV<Long, Long>>> lastSpec =
        StateSpecs.value(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));

    /** The shortest step seen between the starts of consecutive windows (a sliding period). */
    @StateId("step")
    private final StateSpec<ValueState<Long>> stepSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("release")
    private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("silence")
    private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    EvaluateFn(ThresholdRule rule, boolean bounded) {
      this.rule = rule;
      this.bounded = bounded;
    }

    @ProcessElement
    public void process(
        @Element KV<String, SummaryRow> row,
        @Timestamp Instant timestamp,
        @StateId("pending") BagState<SummaryRow> pending,
        @StateId("releaseAt") ValueState<Long> releaseAt,
        @TimerId("release") Timer release) {
      pending.add(row.getValue());
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
        @StateId("pending") BagState<SummaryRow> pending,
        @StateId("releaseAt") ValueState<Long> releaseAt,
        @StateId("streak") ValueState<Integer> streakState,
        @StateId("last") ValueState<KV<Long, Long>> lastState,
        @StateId("step") ValueState<Long> stepState,
        @TimerId("release") Timer release,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      Instant now = watermarkAtLeast(context.fireTimestamp(), release);
      List<SummaryRow> ready = new ArrayList<>();
      List<SummaryRow> later = new ArrayList<>();
      for (SummaryRow row : pending.read()) {
        // A row's timestamp is its window's last instant.
        (row.windowEnd().minus(Duration.millis(1)).isAfter(now) ? later : ready).add(row);
      }
      ready.sort(Comparator.comparing(SummaryRow::windowStart));
      Integer stored = streakState.read();
      int streak = stored == null ? 0 : stored;
      KV<Long, Long> last = lastState.read();
      Long step = stepState.read();
      for (SummaryRow row : ready) {
        long start = row.windowStart().getMillis();
        if (last != null && start <= last.getKey()) {
          continue; // a window judged already, or one before it
        }
        if (last != null) {
          long sinceLast = start - last.getKey();
          boolean consecutive = start <= last.getValue() && (step == null || sinceLast <= step);
          if (consecutive) {
            step = step == null ? sinceLast : Math.min(step, sinceLast);
          } else {
            streak = breakStreak(key, streak, last, out);
          }
        }
        String window = "[" + row.windowStart() + ", " + row.windowEnd() + ")";
        String value = rule.metric() + " " + row.metric(rule.metric()) + " in " + window;
        if (rule.test(row)) {
          streak++;
          if (streak == rule.windows()) {
            opened.inc();
            out.output(Alert.opened(key, rule.toString(), row.windowEnd(), value));
          }
        } else {
          if (streak >= rule.windows()) {
            resolved.inc();
            out.output(Alert.resolved(key, rule.toString(), row.windowEnd(), value));
          }
          streak = 0;
        }
        last = KV.of(start, row.windowEnd().getMillis());
      }
      if (last != null) {
        streakState.write(streak);
        lastState.write(last);
        if (step != null) {
          stepState.write(step);
        }
        if (!bounded) {
          silence.set(new Instant(Math.min(silenceAt(last), END.getMillis())));
        }
      }
      pending.clear();
      later.forEach(pending::add);
      Instant next =
          later.stream()
              .map(r -> r.windowEnd().minus(1))
              .min(Comparator.naturalOrder())
              .orElse(null);
      if (next == null) {
        releaseAt.clear();
      } else {
        release.withOutputTimestamp(next).set(next);
        releaseAt.write(next.getMillis());
      }
    }

    /**
     * One window length after the last judged window: a row that could still continue the streak
     * starts no later than that window's end, so by now it would have been judged.
     */
    @OnTimer("silence")
    public void onSilence(
        OnTimerContext context,
        @Key String key,
        @StateId("pending") BagState<SummaryRow> pending,
        @StateId("streak") ValueState<Integer> streakState,
        @StateId("last") ValueState<KV<Long, Long>> lastState,
        @StateId("step") ValueState<Long> stepState,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      // The watermark at the end of time means the input ended: that is not a silence.
      if (!watermarkAtLeast(context.fireTimestamp(), silence).isBefore(END)) {
        return;
      }
      KV<Long, Long> last = lastState.read();
      if (last == null) {
        return;
      }
      for (SummaryRow row : pending.read()) {
        if (row.windowStart().getMillis() <= last.getValue()) {
          return; // a row that continues the streak is still to be released
        }
      }
      Integer streak = streakState.read();
      breakStreak(key, streak == null ? 0 : streak, last, out);
      // Nothing of this key is left to remember: no streak, no open alert.
      streakState.clear();
      lastState.clear();
      stepState.clear();
    }

    /** Ends a streak at a window with no data after {@code last}; returns the new streak, 0. */
    private int breakStreak(
        String key, int streak, KV<Long, Long> last, OutputReceiver<Alert> out) {
      if (streak >= rule.windows()) {
        resolved.inc();
        long emptyEnd = silenceAt(last);
        String empty = "[" + new Instant(last.getValue()) + ", " + new Instant(emptyEnd) + ")";
        out.output(
            Alert.resolved(key, rule.toString(), new Instant(emptyEnd), "no data in " + empty));
      }
      return 0;
    }

    /** The end of the window after {@code last} if it is as long as {@code last}. */
    private static long silenceAt(KV<Long, Long> last) {
      long length = last.getValue() - last.getKey();
      return length >= END.getMillis() - last.getValue()
          ? END.getMillis()
          : last.getValue() + length;
    }

    /**
     * The input watermark: at least the firing time, and as far as the runner reports. Releasing up
     * to it, not only up to the firing time, takes all ready windows in one firing instead of one
     * firing each.
     */
    static Instant watermarkAtLeast(Instant fired, Timer timer) {
      Instant reported = timer.getCurrentRelativeTime();
      if (reported == null || !reported.isAfter(fired)) {
        return fired;
      }
      // FlinkRunner reports a finished input's watermark as Long.MAX_VALUE, beyond every window;
      // kept within Beam's range so that arithmetic on it cannot overflow.
      return reported.isAfter(BoundedWindow.TIMESTAMP_MAX_VALUE)
          ? BoundedWindow.TIMESTAMP_MAX_VALUE
          : reported;
    }
  }
}
