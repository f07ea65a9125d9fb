package com.example.clicks;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.sessions.Sessions;
import dev.streamfirst.transforms.aggregate.SessionRow;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.SerializableFunctions;
import org.apache.beam.sdk.values.PCollection;

/**
 * Click-stream in; per user and session a row (Streamfirst's {@link Sessions}: parse, dedup,
 * session windows, late data to dead letters), and an alert for every busy session.
 *
 * <pre>
 * java -cp ... com.example.clicks.ClickAlertsPipeline --source=kafka://localhost:9092/clicks \
 *     --sink=file:///data/sessions --alertSink=console: --sessionGap=30m --alertAfterClicks=20
 * </pre>
 */
public final class ClickAlertsPipeline {
  private ClickAlertsPipeline() {}

  public static Pipeline create(ClickAlertsOptions options) {
    PipelineIo<ClickAlertsSettings> io = PipelineIo.open(options, ClickAlertsSettings::from);
    Result<SessionRow> sessions =
        io.read("ReadClicks").apply("Sessions", Sessions.of(io.settings().sessions()));
    io.write(sessions.output(), "Sessions", SessionRow::toJson);
    PCollection<String> alerts =
        sessions.output().apply("BusySessions", new BusySessions(io.settings().alertAfterClicks()));
    PipelineIo.write(
        alerts,
        "AlertsToJson",
        SerializableFunctions.identity(),
        "WriteAlerts",
        io.settings().alerts());
    io.writeDeadLetters(sessions.deadLetters());
    return io.pipeline();
  }

  public static void main(String[] args) {
    ClickAlertsOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(ClickAlertsOptions.class);
    create(options).run().waitUntilFinish();
  }
}
