package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.aggregate.WindowedSummary;
import dev.streamfirst.transforms.alert.Alert;
import dev.streamfirst.transforms.alert.MissingDataAlerts;
import dev.streamfirst.transforms.alert.ThresholdAlerts;
import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.windowing.EventWindows;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * IoT readings in; per sensor (key) and window, count, sum, min, max, mean, p50, p95, p99 and the
 * number of distinct readings out, with threshold alerts over those windows and missing-data alerts
 * for sensors that fall silent; dead letters for what cannot be parsed or arrives too late.
 *
 * <pre>{@code
 * Sensors.Result result = lines.apply("Sensors", Sensors.of(settings));
 * result.rows(); result.alerts(); result.deadLetters();
 * }</pre>
 */
public final class Sensors extends PTransform<PCollection<String>, Sensors.Result> {
  private final SensorsSettings settings;

  private Sensors(SensorsSettings settings) {
    this.settings = settings;
  }

  public static Sensors of(SensorsSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("Sensors.of() needs settings, got null");
    }
    return new Sensors(settings);
  }

  @Override
  public Result expand(PCollection<String> payloads) {
    ParseEvents.Result parsed =
        payloads.apply("ParseEvents", ParseEvents.withFields(settings.fields()));
    Dedup<Event> dedup = Dedup.<Event>byId(Event::id).withTtl(settings.dedupTtl());
    dedup = settings.dedupClock() == DedupClock.EVENT_TIME ? dedup : dedup.inProcessingTime();
    PCollection<Event> unique = parsed.events().apply("Dedup", dedup);
    EventWindows.Result<Event> windowed =
        unique.apply(
            "Window",
            EventWindows.<Event>of(settings.window())
                .withAllowedLateness(settings.allowedLateness())
                .withTrigger(settings.trigger())
                .withLateDeadLetters(Event::payload));
    PCollection<SummaryRow> rows =
        windowed
            .windowed()
            .apply("BySensor", WithKeys.of(Event::key).withKeyType(TypeDescriptors.strings()))
            .apply("Summarise", WindowedSummary.perKey(Event::value, Sensors::reading));
    PCollection<Alert> alerts =
        PCollectionList.of(rows.apply("ThresholdAlerts", ThresholdAlerts.of(settings.alertRule())))
            .and(
                unique.apply(
                    "MissingDataAlerts", MissingDataAlerts.of(Event::key, settings.missingAfter())))
            .apply("AllAlerts", Flatten.pCollections());
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters())
            .and(windowed.late())
            .apply("AllDeadLetters", Flatten.pCollections());
    return new Result(payloads.getPipeline(), rows, alerts, deadLetters);
  }

  /** The distinct items counted per window: distinct readings. */
  static String reading(Event e) {
    return Double.toString(e.value());
  }

  /** The sensors outputs: summary rows, alerts and dead letters. */
  public static final class Result implements POutput {
    private static final TupleTag<SummaryRow> ROWS = new TupleTag<>("rows");
    private static final TupleTag<Alert> ALERTS = new TupleTag<>("alerts");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");

    private final Pipeline pipeline;
    private final PCollection<SummaryRow> rows;
    private final PCollection<Alert> alerts;
    private final PCollection<DeadLetter> deadLetters;

    Result(
        Pipeline pipeline,
        PCollection<SummaryRow> rows,
        PCollection<Alert> alerts,
        PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.rows = rows;
      this.alerts = alerts;
      this.deadLetters = deadLetters;
    }

    public PCollection<SummaryRow> rows() {
      return rows;
    }

    public PCollection<Alert> alerts() {
      return alerts;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(ROWS, rows, ALERTS, alerts, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
