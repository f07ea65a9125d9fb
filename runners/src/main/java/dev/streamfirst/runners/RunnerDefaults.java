package dev.streamfirst.runners;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfirst.runners.dataflow.DataflowStreamingDefaults;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.LocalFlinkMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * What each runner gets from the launcher unless the user says otherwise. Pipelines never see this:
 * the runner stays an option.
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

  /** Beam's FlinkRunner names Flink's heap state backend ({@code hashmap}) "filesystem". */
  static final String HEAP_BACKEND = "filesystem";

  static final String ROCKSDB_BACKEND = "rocksdb";

  private static final Set<String> EMBEDDED_MASTERS = Set.of("[local]", "[auto]", "[collection]");

  private RunnerDefaults() {}

  /**
   * Runner-wide defaults. They are applied before the pipeline is built, because building it
   * already hands the options to the runner (FlinkRunner picks the files to stage then).
   */
  public static void beforeBuild(PipelineOptions options, String... flags) {
    Set<String> given = PlannedRun.givenOptionNames(flags);
    Class<?> runner = options.getRunner();
    if (DirectRunner.class.equals(runner)) {
      direct(options.as(DirectOptions.class), given);
    } else if (FlinkRunner.class.equals(runner)) {
      flink(options.as(FlinkPipelineOptions.class), given);
    }
  }

  /** Defaults that depend on what the built pipeline is: streaming or batch. */
  public static void forPipeline(PlannedRun run) {
    Class<?> runner = run.runner();
    if (FlinkRunner.class.equals(runner) && !run.given("fasterCopy")) {
      // Copies between chained steps are needless in batch: our transforms never change their
      // inputs (DirectRunner tests enforce it). In streaming the heap state backend snapshots
      // asynchronously and copies a state value before it is changed only through the same copy:
      // without it, a combining accumulator changed in place while a checkpoint wrote it failed
      // the job.
      run.options().as(FlinkPipelineOptions.class).setFasterCopy(!run.streaming());
    }
    if (FlinkRunner.class.equals(runner) && run.streaming()) {
      flinkStreaming(run.options().as(FlinkPipelineOptions.class), run);
    } else if (DataflowRunner.class.equals(runner) && run.streaming()) {
      DataflowStreamingDefaults.applyTo(
          run.options().as(DataflowPipelineOptions.class), run.givenOptions());
    }
  }

  /** The {@code host:port} of the Flink cluster a FlinkRunner job goes to; empty if embedded. */
  public static Optional<String> flinkCluster(PipelineOptions options) {
    if (!FlinkRunner.class.equals(options.getRunner())) {
      return Optional.empty();
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    return master == null || EMBEDDED_MASTERS.contains(master) || !master.matches(".+:\\d+")
        ? Optional.empty()
        : Optional.of(master.replaceFirst("^https?://", ""));
  }

  /**
   * Whether the job keeps running where it was submitted when the launcher exits (a Flink cluster,
   * Dataflow), so interrupting the launcher must not cancel it.
   */
  public static boolean outlivesLauncher(PipelineOptions options) {
    return flinkCluster(options).isPresent() || DataflowRunner.class.equals(options.getRunner());
  }

  private static void direct(DirectOptions direct, Set<String> given) {
    // The launcher reports progress while the job runs, so it must not block in run().
    direct.setBlockOnRun(false);
    // The immutability and encodability checks catch bugs in user DoFns, which is what tests are
    // for (they keep them on); in a run they walk the pipeline graph for every bundle and cost
    // more than half of DirectRunner's time.
    if (!given.contains("enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given.contains("enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
  }

  private static void flink(FlinkPipelineOptions flink, Set<String> given) {
    String backend = flink.getStateBackend();
    if (backend != null) {
      String normalized = backend.trim().toLowerCase(Locale.ROOT);
      flink.setStateBackend(normalized.equals("hashmap") ? HEAP_BACKEND : normalized);
      if (flink.getStateBackendStoragePath() == null) {
        flink.setStateBackendStoragePath(
            ProjectRoot.flinkHome().resolve("checkpoints").toUri().toString());
      }
    }
    Optional<String> cluster = flinkCluster(flink);
    if (cluster.isEmpty()) {
      if ("[local]".equals(flink.getFlinkMaster()) && !given.contains("parallelism")) {
        flink.setParallelism(Runtime.getRuntime().availableProcessors());
      }
      Integer metricsPort = flink.as(LaunchOptions.class).getMetricsPort();
      if ("[local]".equals(flink.getFlinkMaster())
          && metricsPort != null
          && metricsPort > 0
          && metricsPort <= 65535
          && !given.contains("flinkConfDir")) {
        try {
          flink.setFlinkConfDir(LocalFlinkMetrics.confDir(metricsPort).toString());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the embedded Flink's configuration", e);
        }
      }
      return;
    }
    if (!given.contains("filesToStage")) {
      ProjectRoot.bundledJar().ifPresent(jar -> flink.setFilesToStage(List.of(jar.toString())));
    }
    if (!given.contains("parallelism")) {
      FlinkRest.at(cluster.get())
          .overview()
          .map(o -> o.path("slots-total").asInt())
          .filter(slots -> slots > 0)
          .ifPresent(flink::setParallelism);
    }
    if (!given.contains("attachedMode")) {
      // The job belongs to the cluster: the launcher follows it, and may leave, without holding a
      // client connection that ends with it.
      flink.setAttachedMode(false);
    }
    if (!given.contains("jobCheckIntervalInSecs")) {
      flink.setJobCheckIntervalInSecs(1);
    }
  }

  private static void flinkStreaming(FlinkPipelineOptions flink, PlannedRun run) {
    flink.as(StreamingOptions.class).setStreaming(true);
    // Real bundles: the launcher submits through CorrectedFlinkRunner, whose steps pass their
    // watermark on whenever a bundle ends (FlinkRunner 2.62's own do so only when one ends by
    // count, which made one-element bundles necessary).
    if (!run.given("maxBundleSize")) {
      flink.setMaxBundleSize(STREAMING_MAX_BUNDLE_SIZE);
    }
    if (!run.given("maxBundleTimeMills")) {
      flink.setMaxBundleTimeMills(STREAMING_MAX_BUNDLE_TIME_MS);
    }
    if (!run.given("finishBundleBeforeCheckpointing")) {
      // A bundle open at a checkpoint would otherwise be finished inside the snapshot, its output
      // held until after it, and the watermark with it.
      flink.setFinishBundleBeforeCheckpointing(true);
    }
    if (!run.given("objectReuse")) {
      // Chained steps hand elements on without a defensive copy (an encode and a decode each, a
      // tenth of a TaskManager's CPU on the live rollup): our transforms never mutate inputs.
      // State is still copied before it is changed, since fasterCopy stays off in streaming.
      flink.setObjectReuse(true);
    }
    if (!run.given("checkpointingInterval")) {
      flink.setCheckpointingInterval(
          run.requiresStableInput() ? EXACTLY_ONCE_CHECKPOINT_INTERVAL_MS : CHECKPOINT_INTERVAL_MS);
    }
    if (flink.getCheckpointingInterval() != null && flink.getCheckpointingInterval() > 0) {
      if (!run.given("externalizedCheckpointsEnabled")) {
        flink.setExternalizedCheckpointsEnabled(true);
      }
      if (!run.given("retainExternalizedCheckpointsOnCancellation")) {
        flink.setRetainExternalizedCheckpointsOnCancellation(true);
      }
      if (!run.given("unalignedCheckpointEnabled")
          && "EXACTLY_ONCE".equals(flink.getCheckpointingMode())) {
        // A slow step (a lookup, a sink) fills the network buffers in front of it; an aligned
        // barrier waits behind all of that data, so checkpoints, and an exactly-once sink's rows
        // with them, stall until the backlog is gone. An unaligned barrier overtakes it (the data
        // goes into the checkpoint instead). BackpressureIT measured it: after a slow lookup
        // recovered, the consumer lag drained in 6 s instead of 82 s (docs/reliability.md).
        flink.setUnalignedCheckpointEnabled(true);
      }
      if (!run.given("shutdownSourcesAfterIdleMs")) {
        // Beam keeps finished sources alive when checkpointing is on, for Flink versions that
        // could not checkpoint after a task finished; Flink 1.19 can (FLIP-147), and a source
        // that ends (generator count=) must let the job finish. Not so for a step that needs
        // stable input (an exactly-once sink): it releases its input only at checkpoints, and
        // FlinkRunner 2.62 fails such a job when its sources end with that input still held.
        flink.setShutdownSourcesAfterIdleMs(run.requiresStableInput() ? Long.MAX_VALUE : 0L);
      }
    }
  }

  /** The cluster overview, for checks that compare a job with the cluster it goes to. */
  static Optional<JsonNode> clusterOverview(PipelineOptions options) {
    return flinkCluster(options).flatMap(c -> FlinkRest.at(c).overview());
  }
}
