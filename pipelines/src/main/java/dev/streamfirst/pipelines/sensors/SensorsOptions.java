package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.pipelines.options.TriggerOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the sensors pipeline: source, sinks, fields, windows, triggers, dedup, alerts. */
public interface SensorsOptions
    extends SourceOptions,
        SinkOptions,
        EventFieldOptions,
        TriggerOptions,
        DedupOptions,
        AlertOptions {
  @Description(
      "Event-time windows: sliding:<size>/<period> (sliding:5m/1m), fixed:<size>,"
          + " session:<gap>, calendar:<days>d[@<zone>] or global.")
  @Default.String("sliding:5m/1m")
  String getWindow();

  void setWindow(String window);

  @Description("How long after a window's end late readings still correct it (e.g. 0s, 2m).")
  @Default.String("0s")
  String getAllowedLateness();

  void setAllowedLateness(String lateness);
}
