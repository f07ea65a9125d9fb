package dev.streamfirst.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which alerts a pipeline raises and where they go. */
public interface AlertOptions extends PipelineOptions {
  @Description(
      "Where alerts (one JSON object per opened or resolved alert) go, as a URI."
          + " Default: file://<working dir>/out/alerts")
  @Default.InstanceFactory(AlertsUnderWorkingDir.class)
  String getAlertSink();

  void setAlertSink(String sink);

  @Description(
      "Threshold alert: <metric> <op> <number> for <n> windows, e.g. 'mean > 80 for 3 windows';"
          + " metrics count, sum, min, max, mean, p50, p95, p99, distinct.")
  @Default.String("mean > 80 for 3 windows")
  String getAlertRule();

  void setAlertRule(String rule);

  @Description("Missing-data alert: a key that sends no events for longer than this (e.g. 5m).")
  @Default.String("5m")
  String getMissingAfter();

  void setMissingAfter(String gap);

  /** {@code file://<working dir>/out/alerts}. */
  class AlertsUnderWorkingDir implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return WorkingDir.fileUri("out/alerts");
    }
  }
}
