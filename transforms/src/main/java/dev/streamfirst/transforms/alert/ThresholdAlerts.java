package dev.streamfirst.transforms.alert;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
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
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Opens an alert for a key when a {@link ThresholdRule} holds for that many consecutive windows of
 * the key, and resolves it at the first window where it no longer holds. An alert opens once and
 * resolves once: no repeats while it stays open, no flapping.
 *
 * <p>Each window is judged by its on-time row (with accumulating panes, everything that arrived in
 * time); early and late panes do not move alerts. Windows are taken in order of their start, one
 * after the other as the key has them: rows are held until the watermark passes them, so the order
 * they arrive in does not matter and the result is the same on every runner.
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
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(SummaryRow.class)))
        .apply("EvaluateRule", ParDo.of(new EvaluateFn(rule())))
        .setCoder(SerializableCoder.of(Alert.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("rule", rule().toString()).withLabel("Alert rule"));
  }

  /** Holds a key's rows until the watermark passes them, then judges them in window order. */
  static final class EvaluateFn extends DoFn<KV<String, SummaryRow>, Alert> {
    private final ThresholdRule rule;
    private final Counter opened = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_OPENED);
    private final Counter resolved = StreamfirstMetrics.counter(StreamfirstMetrics.ALERTS_RESOLVED);

    @StateId("pending")
    private final StateSpec<BagState<SummaryRow>> pendingSpec =
        StateSpecs.bag(SerializableCoder.of(SummaryRow.class));

    @StateId("releaseAt")
    private final StateSpec<ValueState<Long>> releaseAtSpec = StateSpecs.value(VarLongCoder.of());

    /** Consecutive windows meeting the rule; once the alert is open, it stays at or above N. */
    @StateId("streak")
    private final StateSpec<ValueState<Integer>> streakSpec = StateSpecs.value(VarIntCoder.of());

    @TimerId("release")
    private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    EvaluateFn(ThresholdRule rule) {
      this.rule = rule;
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
        @StateId("pending") BagState<SummaryRow> pending,
        @StateId("releaseAt") ValueState<Long> releaseAt,
        @StateId("streak") ValueState<Integer> streakState,
        @TimerId("release") Timer release,
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
      for (SummaryRow row : ready) {
        String window = "[" + row.windowStart() + ", " + row.windowEnd() + ")";
        String value = rule.metric() + " " + row.metric(rule.metric()) + " in " + window;
        if (rule.test(row)) {
          streak++;
          if (streak == rule.windows()) {
            opened.inc();
            out.output(Alert.opened(row.key(), rule.toString(), row.windowEnd(), value));
          }
        } else {
          if (streak >= rule.windows()) {
            resolved.inc();
            out.output(Alert.resolved(row.key(), rule.toString(), row.windowEnd(), value));
          }
          streak = 0;
        }
      }
      streakState.write(streak);
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
