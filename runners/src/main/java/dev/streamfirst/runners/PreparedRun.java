package dev.streamfirst.runners;

import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.CommandLineFlags;
import dev.streamfirst.runners.flink.FlinkNetworkOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A pipeline built from command-line flags the way the launcher builds it: options parsed and
 * checked, runner defaults applied, runner checks passed. Tests and tools that run pipelines go
 * through here too, so they run what users run.
 *
 * <pre>{@code
 * PreparedRun run = PreparedRun.of(PipelineCatalog.find("rollup").get(),
 *     "--runner=FlinkRunner", "--flinkMaster=localhost:8081", "--source=file:///data/in");
 * run.pipeline().run().waitUntilFinish();
 * }</pre>
 */
public final class PreparedRun {
  static {
    // Options the launcher adds for Flink, so that they are accepted on the command line.
    PipelineOptionsFactory.register(FlinkNetworkOptions.class);
    PipelineOptionsFactory.register(LaunchOptions.class);
  }

  private final PlannedRun plan;

  private PreparedRun(PlannedRun plan) {
    this.plan = plan;
  }

  /**
   * @throws dev.streamfirst.pipelines.options.InvalidOptionsException naming each bad option
   * @throws UnsupportedOnRunnerException naming each thing the chosen runner cannot do
   * @throws IllegalArgumentException for flags Beam itself refuses (unknown options, bad values)
   */
  public static PreparedRun of(PipelineDefinition<?> definition, String... flags) {
    return of(definition, RunnerChecks.standard(), flags);
  }

  /** Like {@link #of(PipelineDefinition, String...)} with other runner checks. */
  public static PreparedRun of(
      PipelineDefinition<?> definition, RunnerChecks checks, String... given) {
    String[] flags = CommandLineFlags.of(definition.optionsClass()).normalize(given);
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(flags).withValidation().as(definition.optionsClass());
    if (!PlannedRun.givenOptionNames(flags).contains("appName")) {
      // Runners name jobs after it (rollup-<user>-<time>), so a cluster's job list says what runs.
      options.as(ApplicationNameOptions.class).setAppName(definition.name());
    }
    RunnerDefaults.beforeBuild(options, flags);
    Pipeline pipeline = definition.create(options);
    PlannedRun plan = PlannedRun.of(pipeline, flags);
    RunnerDefaults.forPipeline(plan);
    checks.verify(plan);
    return new PreparedRun(plan);
  }

  public Pipeline pipeline() {
    return plan.pipeline();
  }

  public PipelineOptions options() {
    return plan.options();
  }

  public PlannedRun plan() {
    return plan;
  }

  /** Submits the pipeline to its runner. */
  public PipelineResult run() {
    return submit(plan.pipeline());
  }

  /**
   * Submits a pipeline to its runner as the runner's {@link RunnerProfile} does it; a {@code
   * FlinkRunner} job goes through {@link org.apache.beam.runners.flink.CorrectedFlinkRunner}, which
   * corrects FlinkRunner 2.62's streaming defects in the translated job.
   */
  public static PipelineResult submit(Pipeline pipeline) {
    return RunnerProfiles.of(pipeline.getOptions()).submit(pipeline);
  }
}
