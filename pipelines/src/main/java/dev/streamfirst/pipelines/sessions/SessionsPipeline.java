package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.aggregate.SessionRow;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;

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
    PipelineIo io = PipelineIo.open(options, checks);
    SessionsSettings settings = SessionsSettings.from(options, checks);
    checks.throwIfAny();

    Pipeline pipeline = Pipeline.create(options);
    Result<SessionRow> result =
        io.read(pipeline, "ReadEvents").apply("Sessions", Sessions.of(settings));
    io.write(result.output(), "Sessions", SessionRow::toJson);
    io.writeDeadLetters(result.deadLetters());
    return pipeline;
  }
}
