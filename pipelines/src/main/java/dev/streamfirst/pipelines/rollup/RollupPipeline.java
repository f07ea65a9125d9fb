package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * The rollup pipeline: reads events from {@code --source}, runs {@link Rollup}, writes rows to
 * {@code --sink} and dead letters to {@code --deadLetter}. The runner is whatever the options say.
 *
 * <pre>{@code
 * RollupOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
 *     .as(RollupOptions.class);
 * RollupPipeline.create(options).run().waitUntilFinish();
 * }</pre>
 */
public final class RollupPipeline {
  public static final String NAME = "rollup";
  public static final String DESCRIPTION =
      "per key and event-time window: count, sum, min, max, mean, after dedup; dead letters kept";

  private RollupPipeline() {}

  /**
   * Checks the options and builds the pipeline.
   *
   * @throws dev.streamfirst.pipelines.options.InvalidOptionsException naming each bad option
   */
  public static Pipeline create(RollupOptions options) {
    OptionChecks checks = new OptionChecks();
    PipelineIo io = PipelineIo.open(options, checks);
    RollupSettings settings = RollupSettings.from(options, checks);
    checks.throwIfAny();

    Pipeline pipeline = Pipeline.create(options);
    PCollection<String> events = io.read(pipeline, "ReadEvents");
    Rollup rollup = Rollup.of(settings.events());
    EnrichSettings enrich = settings.enrich();
    if (enrich == null) {
      Result<StatsRow> result = events.apply("Rollup", rollup);
      io.write(result.output(), "Rows", StatsRow::toJson);
      io.writeDeadLetters(result.deadLetters());
    } else {
      String field = enrich.field();
      Result<Enriched<StatsRow>> result = events.apply("Rollup", rollup.withReference(enrich));
      PipelineIo.write(
          result.output(),
          "EnrichedRowsToJson",
          row -> Enriched.toJson(row.element().toJson(), field, row.reference()),
          "WriteRows",
          io.sink());
      io.writeDeadLetters(result.deadLetters());
    }
    return pipeline;
  }
}
