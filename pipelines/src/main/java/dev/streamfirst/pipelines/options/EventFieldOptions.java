package dev.streamfirst.pipelines.options;

import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The JSON field names of the canonical event, and which event times are believed. */
public interface EventFieldOptions extends PipelineOptions {
  @Description("JSON field with the event's id (a non-empty string), used for dedup.")
  @Default.String("id")
  @ValuePattern(ValuePattern.FIELD_NAME)
  String getIdField();

  void setIdField(String field);

  @Description("JSON field with the event's key (a non-empty string), used for grouping.")
  @Default.String("key")
  @ValuePattern(ValuePattern.FIELD_NAME)
  String getKeyField();

  void setKeyField(String field);

  @Description(
      "JSON field with the event time: an ISO-8601 instant with an offset, or epoch millis.")
  @Default.String("ts")
  @ValuePattern(ValuePattern.FIELD_NAME)
  String getTimestampField();

  void setTimestampField(String field);

  @Description("JSON field with the event's value (a finite number).")
  @Default.String("value")
  @ValuePattern(ValuePattern.FIELD_NAME)
  String getValueField();

  void setValueField(String field);

  @Description(
      "Events dated more than this after the worker's clock (e.g. 1h, 1d) become dead letters"
          + " instead of holding windows and dedup state open until that time comes.")
  @Default.String(ParseEvents.DEFAULT_MAX_FUTURE_TEXT)
  @ValuePattern(Durations.PATTERN)
  String getMaxFuture();

  void setMaxFuture(String maxFuture);
}
