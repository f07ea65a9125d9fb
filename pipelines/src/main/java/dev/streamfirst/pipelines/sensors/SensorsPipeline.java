package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.alert.Alert;
import dev.streamfirst.transforms.errors.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The sensors pipeline: reads readings from {@code --source}, runs {@link Sensors}, writes summary
 * rows to {@code --sink}, alerts to {@code --alertSink} and dead letters to {@code --deadLetter}.
 *
 * <pre>{@code
 * ./streamfirst run sensors --source=file:///data/readings --alertSink=file:///data/alerts \
 *     --window=sliding:5m/1m --alertRule='p95 > 90 for 2 windows' --missingAfter=5m
 * }</pre>
 */
public final class SensorsPipeline {
  public static final String NAME = "sensors";
  public static final String DESCRIPTION =
      "IoT: per sensor and sliding window: stats, p50/p95/p99, distinct; threshold and"
          + " missing-data alerts";

  private SensorsPipeline() {}

  /**
   * Checks the options and builds the pipeline.
   *
   * @throws dev.streamfirst.pipelines.options.InvalidOptionsException naming each bad option
   */
  public static Pipeline create(SensorsOptions options) {
    OptionChecks checks = new OptionChecks();
    PTransform<PBegin, PCollection<String>> source =
        checks.parse("source", options.getSource(), Sources::read);
    PTransform<PCollection<String>, PDone> sink =
        checks.parse("sink", options.getSink(), Sinks::write);
    PTransform<PCollection<String>, PDone> alertSink =
        checks.parse("alertSink", options.getAlertSink(), Sinks::write);
    PTransform<PCollection<String>, PDone> deadLetterSink =
        checks.parse("deadLetter", options.getDeadLetter(), Sinks::write);
    SensorsSettings settings = SensorsSettings.from(options, checks);
    checks.throwIfAny();

    Pipeline pipeline = Pipeline.create(options);
    Sensors.Result result =
        pipeline.apply("ReadEvents", source).apply("Sensors", Sensors.of(settings));
    result
        .rows()
        .apply("RowsToJson", MapElements.into(TypeDescriptors.strings()).via(SummaryRow::toJson))
        .apply("WriteRows", sink);
    result
        .alerts()
        .apply("AlertsToJson", MapElements.into(TypeDescriptors.strings()).via(Alert::toJson))
        .apply("WriteAlerts", alertSink);
    result
        .deadLetters()
        .apply(
            "DeadLettersToJson",
            MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson))
        .apply("WriteDeadLetters", deadLetterSink);
    return pipeline;
  }
}
