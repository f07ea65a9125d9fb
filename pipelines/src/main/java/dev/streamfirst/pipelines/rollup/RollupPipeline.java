package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

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
    PTransform<PBegin, PCollection<String>> source =
        checks.parse("source", options.getSource(), Sources::read);
    PTransform<PCollection<String>, PDone> sink =
        checks.parse("sink", options.getSink(), Sinks::write);
    PTransform<PCollection<String>, PDone> deadLetterSink =
        checks.parse("deadLetter", options.getDeadLetter(), Sinks::write);
    RollupSettings settings = RollupSettings.from(options, checks);
    checks.throwIfAny();

    Pipeline pipeline = Pipeline.create(options);
    Rollup.Result result =
        pipeline.apply("ReadEvents", source).apply("Rollup", Rollup.of(settings));
    if (settings.enrich() == null) {
      result
          .rows()
          .apply("RowsToJson", MapElements.into(TypeDescriptors.strings()).via(StatsRow::toJson))
          .apply("WriteRows", sink);
    } else {
      String field = settings.enrich().field();
      result
          .enrichedRows()
          .apply(
              "EnrichedRowsToJson",
              MapElements.into(TypeDescriptors.strings())
                  .via(
                      (Enriched<StatsRow> row) ->
                          Enriched.toJson(row.element().toJson(), field, row.reference())))
          .apply("WriteRows", sink);
    }
    result
        .deadLetters()
        .apply(
            "DeadLettersToJson",
            MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson))
        .apply("WriteDeadLetters", deadLetterSink);
    return pipeline;
  }
}
