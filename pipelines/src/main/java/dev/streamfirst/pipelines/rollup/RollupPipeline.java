package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.Result;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * The rollup pipeline: reads events from {@code --source}, runs {@link Rollup}, writes rows (with
 * their key's reference record when {@code --reference} is given) to {@code --sink} and dead
 * letters to {@code --deadLetter}. The runner is whatever the options say.
 *
 * <pre>{@code
 * RollupOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
 *     .as(RollupOptions.class);
 * RollupPipeline.create(options).run().waitUntilFinish();
 * }</pre>
 */
public final class RollupPipeline {
  private RollupPipeline() {}

  /** The rollup over checked options; see {@link PipelineIo#open}. */
  public static Pipeline create(RollupOptions options) {
    PipelineIo<RollupSettings> io = PipelineIo.open(options, RollupSettings::from);
    PCollection<String> events = io.read("ReadEvents");
    Rollup rollup = Rollup.of(io.settings().events());
    EnrichSettings enrich = io.settings().enrich();
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
    return io.pipeline();
  }
}
