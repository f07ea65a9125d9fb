package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.pipelines.options.TriggerOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the sessions pipeline: source, sinks, fields, session gap, triggers and dedup. */
public interface SessionsOptions
    extends SourceOptions, SinkOptions, EventFieldOptions, TriggerOptions, DedupOptions {
  @Description(
      "A key's session ends after this much event time without events (e.g. 30s, 30m); the"
          + " next event starts a new one.")
  @Default.String("30m")
  String getSessionGap();

  void setSessionGap(String gap);

  @Description("How long after a session's end late events still extend or correct it (e.g. 1m).")
  @Default.String("0s")
  String getAllowedLateness();

  void setAllowedLateness(String lateness);
}
