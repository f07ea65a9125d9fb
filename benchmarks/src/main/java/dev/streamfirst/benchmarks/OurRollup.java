package dev.streamfirst.benchmarks;

import dev.streamfirst.pipelines.rollup.RollupOptions;
import dev.streamfirst.pipelines.rollup.RollupPipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Streamfirst's rollup pipeline, exactly as users run it, over a file. */
final class OurRollup implements Variant {
  private final BeamRunners runner;

  OurRollup(BeamRunners runner) {
    this.runner = runner;
  }

  BeamRunners runner() {
    return runner;
  }

  @Override
  public String name() {
    return "Streamfirst rollup, " + runner.label();
  }

  @Override
  public List<AggregateRow> run(Path input, Path work) throws Exception {
    List<String> flags = new ArrayList<>(runner.flags());
    flags.add("--source=file://" + input);
    flags.add("--sink=file://" + work.resolve("rows"));
    flags.add("--deadLetter=file://" + work.resolve("dead"));
    flags.add("--window=fixed:" + RollupLogic.WINDOW_MILLIS + "ms");
    flags.add("--dedupTtl=" + RollupLogic.DEDUP_TTL_MILLIS + "ms");
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(flags.toArray(new String[0]))
            .withValidation()
            .as(RollupOptions.class);
    PipelineResult.State state = RollupPipeline.create(options).run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(name() + " ended " + state);
    }
    return RowFiles.read(work.resolve("rows"));
  }
}
