package dev.streamfirst.pipelines;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.transforms.errors.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A pipeline's source, result sink and dead-letter sink, opened from {@code --source}, {@code
 * --sink} and {@code --deadLetter}; each URI is checked, and a bad one recorded, before anything is
 * built.
 *
 * <pre>{@code
 * PipelineIo io = PipelineIo.open(options, checks);
 * checks.throwIfAny();
 * Result<StatsRow> result = io.read(pipeline, "ReadEvents").apply("Rollup", Rollup.of(events));
 * io.write(result.output(), "Rows", StatsRow::toJson);
 * io.writeDeadLetters(result.deadLetters());
 * }</pre>
 */
public final class PipelineIo {
  private final PTransform<PBegin, PCollection<String>> source;
  private final PTransform<PCollection<String>, PDone> sink;
  private final PTransform<PCollection<String>, PDone> deadLetterSink;

  private PipelineIo(
      PTransform<PBegin, PCollection<String>> source,
      PTransform<PCollection<String>, PDone> sink,
      PTransform<PCollection<String>, PDone> deadLetterSink) {
    this.source = source;
    this.sink = sink;
    this.deadLetterSink = deadLetterSink;
  }

  /** Opens the three URIs, recording each bad one in {@code checks}. */
  public static <O extends SourceOptions & SinkOptions> PipelineIo open(
      O options, OptionChecks checks) {
    return new PipelineIo(
        checks.parse("source", options.getSource(), Sources::read),
        sink("sink", options.getSink(), checks),
        sink("deadLetter", options.getDeadLetter(), checks));
  }

  /** A further sink (e.g. {@code --alertSink}), recorded in {@code checks} when its URI is bad. */
  public static PTransform<PCollection<String>, PDone> sink(
      String option, String uri, OptionChecks checks) {
    return checks.parse(option, uri, Sinks::write);
  }

  /** The source's messages, read in a step named {@code stepName}. */
  public PCollection<String> read(Pipeline pipeline, String stepName) {
    return pipeline.apply(stepName, source);
  }

  /**
   * Writes {@code items} to {@code --sink} in steps {@code <what>ToJson} and {@code Write<what>}.
   */
  public <T> void write(PCollection<T> items, String what, SerializableFunction<T, String> toJson) {
    write(items, what + "ToJson", toJson, "Write" + what, sink);
  }

  /** Writes dead letters to {@code --deadLetter}. */
  public void writeDeadLetters(PCollection<DeadLetter> deadLetters) {
    write(deadLetters, "DeadLettersToJson", DeadLetter::toJson, "WriteDeadLetters", deadLetterSink);
  }

  /** Writes {@code items} as JSON lines to {@code sink}, in the two steps named. */
  public static <T> void write(
      PCollection<T> items,
      String toJsonStep,
      SerializableFunction<T, String> toJson,
      String writeStep,
      PTransform<PCollection<String>, PDone> sink) {
    items
        .apply(toJsonStep, MapElements.into(TypeDescriptors.strings()).via(toJson))
        .apply(writeStep, sink);
  }

  /** The result sink, for outputs whose steps are named otherwise. */
  public PTransform<PCollection<String>, PDone> sink() {
    return sink;
  }
}
