package dev.streamfirst.transforms.aggregate;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.metrics.RowsWritten;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Per key and window: count, sum, min, max, mean, approximate p50/p95/p99 and approximate distinct
 * count (see {@link SummaryFn}), as {@link SummaryRow}s that say which window and pane they belong
 * to. Input must already be windowed (see {@code EventWindows}).
 *
 * <pre>{@code
 * PCollection<SummaryRow> rows = windowedEvents
 *     .apply(WithKeys.of(Event::key).withKeyType(TypeDescriptors.strings()))
 *     .apply("Summarise", WindowedSummary.perKey(Event::value, Event::id));
 * }</pre>
 */
@AutoValue
public abstract class WindowedSummary<T>
    extends PTransform<PCollection<KV<String, T>>, PCollection<SummaryRow>> {

  abstract SerializableFunction<T, Double> valueFn();

  abstract SerializableFunction<T, String> distinctFn();

  /** Summarises {@code valueFn} per key and window, counting distinct {@code distinctFn}s. */
  public static <T> WindowedSummary<T> perKey(
      SerializableFunction<T, Double> valueFn, SerializableFunction<T, String> distinctFn) {
    if (valueFn == null || distinctFn == null) {
      throw new IllegalArgumentException(
          "WindowedSummary.perKey() needs a value function and a distinct-item function, e.g."
              + " perKey(Event::value, Event::id)");
    }
    return new AutoValue_WindowedSummary<>(valueFn, distinctFn);
  }

  @Override
  public PCollection<SummaryRow> expand(PCollection<KV<String, T>> keyed) {
    // Only the value and the distinct item reach the combine. A runner that does not combine
    // before its shuffle (the DirectRunner) holds every input of a key and window until the pane
    // fires, and copies what it holds for every bundle: whole events, payload and all, made that
    // copying most of the sensors job's time.
    return keyed
        .apply("Project", ParDo.of(new ProjectFn<>(valueFn(), distinctFn())))
        .setCoder(
            KvCoder.of(StringUtf8Coder.of(), KvCoder.of(DoubleCoder.of(), StringUtf8Coder.of())))
        .apply(
            "CombinePerKey",
            Combine.perKey(SummaryFn.<KV<Double, String>>of(KV::getKey, KV::getValue)))
        .apply("ToRows", ParDo.of(new ToRowFn()))
        .setCoder(SummaryRowCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(
            DisplayData.item("percentileRankError", SummaryFn.PERCENTILE_RANK_ERROR)
                .withLabel("Percentile rank error"))
        .add(
            DisplayData.item("distinctSampleSize", SummaryFn.DISTINCT_SAMPLE_SIZE)
                .withLabel("Distinct-count sample size"));
  }

  /** Each element as its value and distinct item, under its key. */
  private static final class ProjectFn<T>
      extends DoFn<KV<String, T>, KV<String, KV<Double, String>>> {
    private final SerializableFunction<T, Double> valueFn;
    private final SerializableFunction<T, String> distinctFn;

    ProjectFn(SerializableFunction<T, Double> valueFn, SerializableFunction<T, String> distinctFn) {
      this.valueFn = valueFn;
      this.distinctFn = distinctFn;
    }

    @ProcessElement
    public void process(
        @Element KV<String, T> element, OutputReceiver<KV<String, KV<Double, String>>> out) {
      T value = element.getValue();
      out.output(KV.of(element.getKey(), KV.of(valueFn.apply(value), distinctFn.apply(value))));
    }
  }

  private static final class ToRowFn extends DoFn<KV<String, Summary>, SummaryRow> {
    private final RowsWritten rows = new RowsWritten();

    @ProcessElement
    public void process(
        @Element KV<String, Summary> summary,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<SummaryRow> out) {
      if (summary.getValue().stats().count() == 0) {
        return; // an empty pane (discarding panes, nothing new): there is nothing to report
      }
      rows.emitted(window);
      out.output(
          SummaryRow.of(
              summary.getKey(),
              WindowedStats.start(window),
              WindowedStats.end(window),
              summary.getValue(),
              PaneTiming.of(pane),
              pane.getIndex(),
              pane.isLast()));
    }
  }
}
