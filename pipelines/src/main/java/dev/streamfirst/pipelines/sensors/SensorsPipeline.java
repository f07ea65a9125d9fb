package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import dev.streamfirst.transforms.alert.Alert;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;

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
  private SensorsPipeline() {}

  /** The sensors job over checked options; see {@link PipelineIo#open}. */
  public static Pipeline create(SensorsOptions options) {
    PipelineIo<SensorsSettings> io = PipelineIo.open(options, SensorsSettings::from);
    Result<SummaryRow> result = io.read("ReadEvents").apply("Sensors", Sensors.of(io.settings()));
    io.write(result.output(), "Rows", SummaryRow::toJson);
    PipelineIo.write(
        result.get(Sensors.ALERTS),
        "AlertsToJson",
        Alert::toJson,
        "WriteAlerts",
        Sinks.write(io.settings().alertSink()));
    io.writeDeadLetters(result.deadLetters());
    return io.pipeline();
  }
}
