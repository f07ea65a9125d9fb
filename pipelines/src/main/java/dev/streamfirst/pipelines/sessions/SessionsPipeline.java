package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.aggregate.SessionRow;
import dev.streamfirst.transforms.errors.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The sessions pipeline: reads events from {@code --source}, runs {@link Sessions}, writes session
 * rows to {@code --sink} and dead letters to {@code --deadLetter}.
 *
 * <pre>{@code
 * ./streamfirst run sessions --source=file:///data/clicks --sessionGap=30m \
 *     --earlyFiringsEvery=1m
 * }</pre>
 */
public final class SessionsPipeline {
  public static final String NAME = "sessions";
  public static final String DESCRIPTION =
      "clickstream: per key and session: start, end, events, duration; early rows optional";

  private SessionsPipeline() {}

  /**
   * Checks the options and builds the pipeline.
   *
   * @throws dev.streamfirst.pipelines.options.InvalidOptionsException naming each bad option
   */
  public static Pipeline create(SessionsOptions options) {
    OptionChecks checks = new OptionChecks();
    PTransform<PBegin, PCollection<String>> source =
        checks.parse("source", options.getSource(), Sources::read);
    PTransform<PCollection<String>, PDone> sink =
        checks.parse("sink", options.getSink(), Sinks::write);
    PTransform<PCollection<String>, PDone> deadLetterSink =
        checks.parse("deadLetter", options.getDeadLetter(), Sinks::write);
    SessionsSettings settings = SessionsSettings.from(options, checks);
    checks.throwIfAny();

    Pipeline pipeline = Pipeline.create(options);
    Sessions.Result result =
        pipeline.apply("ReadEvents", source).apply("Sessions", Sessions.of(settings));
    result
        .sessions()
        .apply(
            "SessionsToJson", MapElements.into(TypeDescriptors.strings()).via(SessionRow::toJson))
        .apply("WriteSessions", sink);
    result
        .deadLetters()
        .apply(
            "DeadLettersToJson",
            MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson))
        .apply("WriteDeadLetters", deadLetterSink);
    return pipeline;
  }
}
