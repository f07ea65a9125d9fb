package dev.streamfirst.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a pipeline's results and dead letters go. */
public interface SinkOptions extends PipelineOptions {
  @Description(
      "Where result rows go, as a URI: file:///abs/dir (JSON lines), console: (stdout),"
          + " kafka://host:port/topic (keyed by the key field; ?delivery=exactly-once),"
          + " pubsub://projects/P/topics/T (with idAttribute, timestampAttribute),"
          + " jdbc:postgresql://host:port/db?table=rollup&user=U&password=W (upsert per key and"
          + " window) or redis://host:port?prefix=rollup: (latest row per key)."
          + " Default: file://<working dir>/out/rows")
  @Default.InstanceFactory(RowsUnderWorkingDir.class)
  @ValuePattern(ValuePattern.URI)
  String getSink();

  void setSink(String sink);

  @Description(
      "Where dead letters (inputs that could not be processed, with the reason) go, as a URI:"
          + " file:, console:, kafka: or pubsub: (the stores take result rows only)."
          + " Default: file://<working dir>/out/dead-letters")
  @Default.InstanceFactory(DeadLettersUnderWorkingDir.class)
  @ValuePattern(ValuePattern.URI)
  String getDeadLetter();

  void setDeadLetter(String deadLetter);

  /** {@code file://<working dir>/out/rows}. */
  class RowsUnderWorkingDir implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return WorkingDir.fileUri("out/rows");
    }
  }

  /** {@code file://<working dir>/out/dead-letters}. */
  class DeadLettersUnderWorkingDir implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return WorkingDir.fileUri("out/dead-letters");
    }
  }
}
