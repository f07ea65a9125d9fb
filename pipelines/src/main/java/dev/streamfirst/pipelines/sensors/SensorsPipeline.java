package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.alert.Alert;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

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
    PipelineIo io = PipelineIo.open(options, checks);
    PTransform<PCollection<String>, PDone> alertSink =
        PipelineIo.sink("alertSink", options.getAlertSink(), checks);
    SensorsSettings settings = SensorsSettings.from(options, checks);
    checks.throwIfAny();

    Pipeline pipeline = Pipeline.create(options);
    Result<SummaryRow> result =
        io.read(pipeline, "ReadEvents").apply("Sensors", Sensors.of(settings));
    io.write(result.output(), "Rows", SummaryRow::toJson);
    PipelineIo.write(
        result.get(Sensors.ALERTS), "AlertsToJson", Alert::toJson, "WriteAlerts", alertSink);
    io.writeDeadLetters(result.deadLetters());
    return pipeline;
  }
}
