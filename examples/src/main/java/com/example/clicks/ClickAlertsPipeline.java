package com.example.clicks;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.sessions.Sessions;
import dev.streamfirst.transforms.aggregate.SessionRow;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.SerializableFunctions;
import org.apache.beam.sdk.values.PCollection;

/**
 * Click-stream in; per user and session a row (Streamfirst's {@link Sessions}: parse, dedup,
 * session windows, late data to dead letters), and an alert for every busy session.
 *
 * <pre>
 * java -jar target/click-alerts-1.0-SNAPSHOT-bundled.jar --source=kafka://localhost:9092/clicks \
 *     --sink=file:///data/sessions --alertSink=console: --sessionGap=30m --alertAfterClicks=20
 * </pre>
 *
 * <p>DirectRunner by default; {@code --runner=FlinkRunner --flinkMaster=host:8081
 * --filesToStage=<the bundled jar>} for a Flink cluster; as a Flex template on Dataflow, see the
 * README.
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
    PipelineResult result = create(options).run();
    // A Dataflow job runs on after its launch (a Flex template's launcher VM only submits it, and
    // a launch that waits for a streaming job never ends); on the other runners this process is
    // the run, so it waits for the end.
    if (!options.getRunner().getSimpleName().equals("DataflowRunner")) {
      result.waitUntilFinish();
    }
  }
}
