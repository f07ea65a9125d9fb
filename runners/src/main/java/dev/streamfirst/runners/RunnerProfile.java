package dev.streamfirst.runners;

import dev.streamfirst.runners.metrics.MetricsEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Everything the launcher does differently for one runner: the defaults it gives the runner, what
 * it refuses before submitting, how it submits and follows the job, and whether interrupting the
 * launcher stops the job. Each runner's profile lives in its own package; {@link RunnerProfiles}
 * picks one by {@code --runner}. A runner without a profile gets these defaults: nothing set,
 * nothing refused, the job followed through its {@link PipelineResult} and cancelled on Ctrl-C.
 *
 * <pre>{@code
 * RunnerProfile profile = RunnerProfiles.of(options);
 * profile.beforeBuild(options, given);
 * }</pre>
 */
public interface RunnerProfile {
  /**
   * Runner-wide defaults, applied before the pipeline is built, because building it already hands
   * the options to the runner (FlinkRunner picks the files to stage then). {@code given} are the
   * option names the user set, which keep their values.
   */
  default void beforeBuild(PipelineOptions options, Set<String> given) {}

  /** Defaults that depend on what the built pipeline is: streaming or batch. */
  default void forPipeline(PlannedRun run) {}

  /**
   * What this runner, or the mode it is asked for, cannot do with {@code run}: one sentence per
   * problem naming the option and the fix, as a {@link RunnerCheck} says it.
   */
  default List<String> problems(PlannedRun run) {
    return List.of();
  }

  /**
   * Why {@code --metricsPort} (a valid port) cannot serve this run's metrics, if it cannot: a job
   * that runs elsewhere is watched through that service's own metrics.
   */
  default List<String> metricsPortProblems(PlannedRun run, int port) {
    return List.of();
  }

  /**
   * What keeps KafkaIO's exactly-once sink, which needs stable input, from keeping its promise on
   * this runner; {@code sink} names the sink as the user gave it. A runner without a profile is not
   * known to keep its input stable.
   */
  default List<String> exactlyOnceKafkaSinkProblems(PlannedRun run, String sink) {
    return List.of(
        sink
            + ": "
            + run.runner().getSimpleName()
            + " is not known to keep the input of KafkaIO's exactly-once sink stable; run it on"
            + " DataflowRunner or FlinkRunner (streaming, with checkpoints), or use "
            + KafkaExactlyOnceCheck.AT_LEAST_ONCE);
  }

  /** Whether the launcher checks the local files a run reads and writes (its workers see them). */
  default boolean usesLocalFiles() {
    return true;
  }

  /** Submits the pipeline to this runner. */
  default PipelineResult submit(Pipeline pipeline) {
    return pipeline.run();
  }

  /**
   * Serves the job's metrics for Prometheus on {@code port}, saying so on {@code log}; null when
   * the runner serves them itself.
   */
  default @Nullable MetricsEndpoint serveMetrics(PipelineOptions options, int port, PrintStream log)
      throws IOException {
    MetricsEndpoint endpoint =
        MetricsEndpoint.start(port, options.as(ApplicationNameOptions.class).getAppName());
    log.println(
        "Serving the job's metrics for Prometheus at http://localhost:" + port + "/metrics");
    return endpoint;
  }

  /** Where the job runs, as the launcher names it after the runner: {@code " at host:port"}. */
  default String where(PipelineOptions options) {
    return "";
  }

  /**
   * The job just submitted, as the launcher follows it; a profile may say on {@code log} where to
   * watch it.
   */
  default SubmittedJob submitted(PipelineOptions options, PipelineResult result, PrintStream log) {
    return SubmittedJob.IN_RESULT;
  }

  /**
   * Whether the job keeps running where it was submitted when the launcher exits (a Flink cluster,
   * Dataflow), so interrupting the launcher must not cancel it.
   */
  default boolean outlivesLauncher(PipelineOptions options) {
    return false;
  }

  /**
   * The options interfaces of this runner that {@code ./streamfirst run <pipeline> --help} lists; a
   * runner with none is not offered there.
   */
  default List<Class<? extends PipelineOptions>> helpOptions() {
    return List.of();
  }

  /** How to stop a job the launcher left running, for one that {@link #outlivesLauncher}. */
  default String stopHint(PipelineOptions options) {
    return "The job keeps running on " + options.getRunner().getSimpleName() + "; stop it there.";
  }
}
