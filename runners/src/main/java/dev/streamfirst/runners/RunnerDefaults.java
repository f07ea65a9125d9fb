package dev.streamfirst.runners;

import dev.streamfirst.runners.flink.FlinkProfile;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What each runner gets from the launcher unless the user says otherwise. Pipelines never see this:
 * the runner stays an option. Each runner's {@link RunnerProfile} sets its defaults; this class
 * applies the chosen one and holds the values other code and the docs refer to.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>runner</th><th>default</th><th>why</th></tr>
 *   <tr><td>Direct</td><td>no immutability/encodability checks, non-blocking run</td>
 *       <td>the checks are for tests; the launcher reports progress</td></tr>
 *   <tr><td>Flink batch</td><td>{@code --fasterCopy}</td><td>no defensive copies between chained
 *       steps; our transforms never mutate inputs (DirectRunner tests enforce it)</td></tr>
 *   <tr><td>Flink {@code [local]}</td><td>{@code --parallelism} = cores</td><td></td></tr>
 *   <tr><td>Flink cluster ({@code host:port})</td><td>{@code --filesToStage} = the bundled jar;
 *       {@code --parallelism} = the cluster's slots; detached submission</td><td>the cluster
 *       needs the pipeline's classes; the job outlives the launcher</td></tr>
 *   <tr><td>Flink, streaming</td><td>{@code --objectReuse}; checkpoints every {@value
 *       #CHECKPOINT_INTERVAL_MS} ms ({@value #EXACTLY_ONCE_CHECKPOINT_INTERVAL_MS} ms with an
 *       exactly-once sink, whose rows wait for them),
 *       exactly once, unaligned, retained on cancel; finished sources shut down</td><td>a restart
 *       loses nothing; a slow step does not hold checkpoints back; a source that ends ({@code
 *       count=}) lets the job finish</td></tr>
 *   <tr><td>Flink, {@code --stateBackend}</td><td>{@code hashmap} means {@code filesystem};
 *       storage in {@code .flink/checkpoints}</td><td>Flink's name for Beam's heap backend</td></tr>
 *   <tr><td>Dataflow, streaming</td><td>Streaming Engine, throughput-based autoscaling</td>
 *       <td></td></tr>
 * </table>
 */
public final class RunnerDefaults {
  /**
   * How often a streaming Flink job checkpoints unless {@code --checkpointingInterval} is given.
   */
  public static final long CHECKPOINT_INTERVAL_MS = 30_000;

  /**
   * How often a streaming Flink job with an exactly-once sink checkpoints unless {@code
   * --checkpointingInterval} is given. Its rows become readable only when the checkpoint after them
   * completes, so the interval is most of their latency; each checkpoint copies and writes the
   * job's state, so shorter costs CPU. Measured in docs/benchmarks.md.
   */
  public static final long EXACTLY_ONCE_CHECKPOINT_INTERVAL_MS = 2_000;

  /**
   * Elements per bundle in a streaming Flink job unless {@code --maxBundleSize} is given (Beam's
   * default): a bundle ends at this many elements or after {@link #STREAMING_MAX_BUNDLE_TIME_MS},
   * whichever comes first.
   */
  public static final long STREAMING_MAX_BUNDLE_SIZE = 1000;

  /**
   * The longest a bundle stays open in a streaming Flink job unless {@code --maxBundleTimeMills} is
   * given. Each step passes its watermark on, and sinks flush, when a bundle ends, so this bounds
   * what a step adds to a result's latency at low rates; Beam's default (1 s) would add up to 1.5 s
   * per step.
   */
  public static final long STREAMING_MAX_BUNDLE_TIME_MS = 50;

  private RunnerDefaults() {}

  /**
   * Runner-wide defaults. They are applied before the pipeline is built, because building it
   * already hands the options to the runner (FlinkRunner picks the files to stage then).
   */
  public static void beforeBuild(PipelineOptions options, String... flags) {
    RunnerProfiles.of(options).beforeBuild(options, PlannedRun.givenOptionNames(flags));
  }

  /** Defaults that depend on what the built pipeline is: streaming or batch. */
  public static void forPipeline(PlannedRun run) {
    RunnerProfiles.of(run.runner()).forPipeline(run);
  }

  /** The {@code host:port} of the Flink cluster a FlinkRunner job goes to; empty if embedded. */
  public static Optional<String> flinkCluster(PipelineOptions options) {
    return RunnerProfiles.of(options) instanceof FlinkProfile
        ? FlinkProfile.cluster(options)
        : Optional.empty();
  }

  /**
   * Whether the job keeps running where it was submitted when the launcher exits (a Flink cluster,
   * Dataflow), so interrupting the launcher must not cancel it.
   */
  public static boolean outlivesLauncher(PipelineOptions options) {
    return RunnerProfiles.of(options).outlivesLauncher(options);
  }
}
