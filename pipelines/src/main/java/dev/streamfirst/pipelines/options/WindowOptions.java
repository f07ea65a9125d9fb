package dev.streamfirst.pipelines.options;

import dev.streamfirst.transforms.time.Durations;
import dev.streamfirst.transforms.windowing.WindowSpec;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How events are windowed in event time. */
public interface WindowOptions extends PipelineOptions {
  // No @Default here: pipelines differ in theirs (rollup fixed:60s, sensors sliding:5m/1m), and one
  // property must carry the same default in every options interface of a JVM.
  @Description(
      "Event-time windows: fixed:<size> (fixed:60s), sliding:<size>/<period> (sliding:5m/1m),"
          + " session:<gap> (session:30s), calendar:<days>d[@<zone>] (calendar:1d@Europe/Paris)"
          + " or global. Default: rollup fixed:60s, sensors sliding:5m/1m.")
  @ValuePattern(WindowSpec.PATTERN)
  String getWindow();

  void setWindow(String window);

  @Description(
      "How long after a window's end late events still correct it (e.g. 0s, 30s, 2m);"
          + " each late event then emits an updated row for its window.")
  @Default.String("0s")
  @ValuePattern(Durations.PATTERN)
  String getAllowedLateness();

  void setAllowedLateness(String lateness);
}
