package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.pipelines.PipelineIo;
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
  private SessionsPipeline() {}

  /** The sessions job over checked options; see {@link PipelineIo#open}. */
  public static Pipeline create(SessionsOptions options) {
    PipelineIo<SessionsSettings> io = PipelineIo.open(options, SessionsSettings::from);
    Result<SessionRow> result = io.read("ReadEvents").apply("Sessions", Sessions.of(io.settings()));
    io.write(result.output(), "Sessions", SessionRow::toJson);
    io.writeDeadLetters(result.deadLetters());
    return io.pipeline();
  }
}
