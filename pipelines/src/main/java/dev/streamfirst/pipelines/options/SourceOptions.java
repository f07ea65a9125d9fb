package dev.streamfirst.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a pipeline's events come from. */
public interface SourceOptions extends PipelineOptions {
  /** A bounded demo input: small enough for seconds on DirectRunner, with every kind of mess. */
  String DEFAULT_SOURCE =
      "generator://events?count=20000&keys=20&duplicates=0.05&malformed=0.01&disorder=5s";

  @Description(
      "Where events come from, as a URI: file:///abs/dir/or/glob (?watch=10s to keep reading"
          + " new files in event time, with stopAfter, tsField, maxDisorder), generator://events?count=N (bounded) | ?rate=N (unbounded, per second),"
          + " with seed, keys, duplicates, disorder, late, malformed,"
          + " kafka://host:port/topic (live; ?until=end for a bounded replay), with group, from,"
          + " until, time, tsField, maxDisorder, properties, kafka.<client property>, or"
          + " pubsub://projects/P/subscriptions/S with idAttribute, timestampAttribute (the"
          + " emulator needs --pubsubRootUrl and --credentialFactoryClass).")
  @Default.String(DEFAULT_SOURCE)
  @ValuePattern(ValuePattern.URI)
  String getSource();

  void setSource(String source);
}
