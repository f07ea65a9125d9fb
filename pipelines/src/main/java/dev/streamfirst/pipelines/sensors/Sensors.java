package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.aggregate.WindowedSummary;
import dev.streamfirst.transforms.alert.Alert;
import dev.streamfirst.transforms.alert.MissingDataAlerts;
import dev.streamfirst.transforms.alert.ThresholdAlerts;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * IoT readings in; per sensor (key) and window, count, sum, min, max, mean, p50, p95, p99 and the
 * number of distinct readings out, with threshold alerts over those windows and missing-data alerts
 * for sensors that fall silent ({@link #ALERTS}); dead letters for what cannot be parsed or arrives
 * too late.
 *
 * <pre>{@code
 * Result<SummaryRow> result = lines.apply("Sensors", Sensors.of(settings));
 * result.output(); result.get(Sensors.ALERTS); result.deadLetters();
 * }</pre>
 */
public final class Sensors extends PTransform<PCollection<String>, Result<SummaryRow>> {
  /** The alerts, beside the summary rows. */
  public static final TupleTag<Alert> ALERTS = new TupleTag<>("alerts");

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
  public Result<SummaryRow> expand(PCollection<String> payloads) {
    CleanEvents.Cleaned unique = settings.events().deduplicated(payloads);
    CleanEvents.Cleaned windowed = settings.events().window(unique);
    PCollection<SummaryRow> rows =
        windowed
            .output()
            .apply("BySensor", WithKeys.of(Event::key).withKeyType(TypeDescriptors.strings()))
            .apply("Summarise", WindowedSummary.perKey(Event::value, Sensors::reading));
    PCollection<Alert> alerts =
        PCollectionList.of(rows.apply("ThresholdAlerts", ThresholdAlerts.of(settings.alertRule())))
            .and(
                unique
                    .output()
                    .apply(
                        "MissingDataAlerts",
                        MissingDataAlerts.of(Event::key, settings.missingAfter())))
            .apply("AllAlerts", Flatten.pCollections());
    return windowed.result(rows).and(ALERTS, alerts);
  }

  /** The distinct items counted per window: distinct readings. */
  static String reading(Event e) {
    return Double.toString(e.value());
  }
}
